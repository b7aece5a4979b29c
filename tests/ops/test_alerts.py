"""Run-failure alerts: a JSON file under alerts/ and an email through a local SMTP server."""

from __future__ import annotations

import json
import socket

import pytest

from pipelines.alerts import SmtpSettings, new_alert, send_email, write_alert_file


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    controller = Controller(Collect(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, received
    finally:
        controller.stop()


def test_alert_file_names_run_job_partition_and_error(tmp_path):
    alert = new_alert(
        "abcdef123456", "ingest_partition", "FY2026|NY", "roster.csv cannot be used: bad column"
    )
    path = write_alert_file(alert, tmp_path / "alerts")
    data = json.loads(path.read_text())
    assert data["run_id"] == "abcdef123456" and data["partition"] == "FY2026|NY"
    assert "roster.csv cannot be used" in data["error"]


def test_alert_email_reaches_local_smtp_server(smtp_server):
    controller, received = smtp_server
    alert = new_alert("run-1", "ingest_partition", "FY2026|VT", "boom")
    send_email(
        alert, SmtpSettings("127.0.0.1", controller.port, "pipeline@example.org", ("ops@example.org",))
    )
    assert len(received) == 1
    assert received[0]["Subject"] == alert.subject
    assert "FY2026|VT" in received[0].get_payload()


def test_smtp_settings_need_host_and_recipient(monkeypatch):
    monkeypatch.delenv("LANDSCAPE_SMTP_HOST", raising=False)
    assert SmtpSettings.from_env() is None
    monkeypatch.setenv("LANDSCAPE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LANDSCAPE_ALERT_TO", "a@x.org, b@x.org")
    settings = SmtpSettings.from_env()
    assert settings.recipients == ("a@x.org", "b@x.org") and settings.port == 25
