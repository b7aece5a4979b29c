"""What an operator sees from `landscape run`: phases, one whole line per failure, no stack trace on the
screen (a log file instead), output paths, an alert as for daemon runs, no Dagster beta notices."""

from __future__ import annotations

import json

import pytest

from tests.faults.drill import Home, landscape
from tests.orchestration.package_builder import write_package

BROKEN_ROSTER = (
    "grantee_id,organization_name,first_period,last_period\n"
    "VT-0001,Hope,FY2024,\n"
    "not-an-id,Second organization with a rather long name to show nothing is cut off,FY2024,\n"
)


def test_help_shows_no_dagster_notices(tmp_path):
    home = Home(tmp_path / "home", tmp_path / "landing")
    for args in (("--help",), ("run", "--help"), ("rebuild", "--help")):
        code, output = landscape(home, *args)
        assert code == 0, output
        assert "Warning" not in output and "beta" not in output.lower(), output


@pytest.mark.slow
def test_a_failed_partition_is_one_whole_line_and_the_trace_is_in_the_log(tmp_path):
    landing = tmp_path / "landing"
    write_package(landing, "VT-0001")
    write_package(landing, "DE-0001", county="10001")
    (landing / "VT" / "roster.csv").write_text(BROKEN_ROSTER)
    home = Home(tmp_path / "home", landing).prepare()
    code, output = landscape(home, "run")
    assert code == 1, output
    lines = output.splitlines()
    [failed] = [line for line in lines if line.startswith("FAILED VT FY2026: ")]
    assert (
        "roster.csv cannot be used" in failed
        and "not-an-id" in failed
        and failed.rstrip().endswith("is not like NY-0042")
    )
    assert "Traceback" not in output and "Stack Trace" not in output and "Warning" not in output
    assert lines[0].startswith("ingest   2 partition(s) with new packages")
    for phase in ("ingest   done in ", "marts    done in ", "publish  done in ", "reports  done in "):
        assert any(line.startswith(phase) for line in lines), (phase, output)
    [log_line] = [line for line in lines if line.startswith("details (stack traces): ")]
    log = log_line.split(": ", 1)[1].strip()
    assert "Traceback" in open(log).read() or "Stack Trace" in open(log).read()
    assert any(line.startswith("national report:") and line.endswith("reports/index.html") for line in lines)
    [alert] = (home.root / "alerts").glob("*.json")
    assert "not-an-id" in json.loads(alert.read_text())["error"]
