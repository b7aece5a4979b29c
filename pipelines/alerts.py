"""Alerts for operators: a log line, a JSON file under $LANDSCAPE_HOME/alerts/, and email when configured."""

from __future__ import annotations

import json
import smtplib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from pipelines.settings import setting


@dataclass(frozen=True)
class Alert:
    run_id: str
    job_name: str
    partition: str | None
    error: str
    raised_at: str

    @property
    def subject(self) -> str:
        where = f" [{self.partition}]" if self.partition else ""
        return f"Peer landscape pipeline: run of {self.job_name}{where} failed"

    @property
    def body(self) -> str:
        return (
            f"Run {self.run_id} of job {self.job_name} failed at {self.raised_at}.\n"
            f"Partition: {self.partition or '-'}\n\n{self.error}\n\n"
            "Open the Dagster UI (make dev) and look up the run id for the full log."
        )


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        """LANDSCAPE_SMTP_HOST, LANDSCAPE_SMTP_PORT (25), LANDSCAPE_ALERT_FROM, LANDSCAPE_ALERT_TO (comma list)."""
        host = setting("LANDSCAPE_SMTP_HOST")
        recipients = tuple(r.strip() for r in setting("LANDSCAPE_ALERT_TO").split(",") if r.strip())
        if not host or not recipients:
            return None
        return cls(
            host=host,
            port=int(setting("LANDSCAPE_SMTP_PORT")),
            sender=setting("LANDSCAPE_ALERT_FROM"),
            recipients=recipients,
        )


def new_alert(run_id: str, job_name: str, partition: str | None, error: str) -> Alert:
    return Alert(run_id, job_name, partition, error, datetime.now(UTC).isoformat(timespec="seconds"))


def write_alert_file(alert: Alert, alerts_dir: Path) -> Path:
    alerts_dir.mkdir(parents=True, exist_ok=True)
    path = alerts_dir / f"{alert.raised_at.replace(':', '')}-{alert.run_id[:8]}.json"
    path.write_text(json.dumps(asdict(alert), indent=2), encoding="utf-8")
    return path


def send_email(alert: Alert, smtp: SmtpSettings, timeout_s: float = 10.0) -> None:
    message = EmailMessage()
    message["Subject"] = alert.subject
    message["From"] = smtp.sender
    message["To"] = ", ".join(smtp.recipients)
    message.set_content(alert.body)
    with smtplib.SMTP(smtp.host, smtp.port, timeout=timeout_s) as client:
        client.send_message(message)


def raise_alert(
    run_id: str, job_name: str, partition: str | None, error: str, alerts_dir: Path
) -> tuple[Alert, Path]:
    """The one alert every failed run raises, whatever started it: the JSON file, then email when SMTP is
    configured. Returns the alert and its file."""
    alert = new_alert(run_id, job_name, partition, error)
    path = write_alert_file(alert, alerts_dir)
    if smtp := SmtpSettings.from_env():
        send_email(alert, smtp)
    return alert, path
