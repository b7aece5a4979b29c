"""`landscape check`: exit codes, output formats, places and the roster."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from pipelines.commands.check import main
from pipelines.contract import load_contract
from tests.validate.helpers import valid_tables

TODAY = ["--today", "2025-06-01"]


def write_csv_package(folder: Path, tables: dict[str, list[dict]]) -> Path:
    folder.mkdir(parents=True)
    for name, rows in tables.items():
        columns = list(load_contract().tables[name].column_names)
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([row.get(c) or "" for c in columns])
    return folder


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_valid_package_exits_0(tmp_path, capsys):
    package = write_csv_package(tmp_path / "NY-0042", valid_tables())
    assert main([str(package), *TODAY, "--format", "json"]) == 0
    out = _json(capsys)
    assert out["package"]["status"] == "accepted" and out["findings"] == []
    assert (out["package"]["state"], out["package"]["period"]) == ("NY", "FY2025")


def test_errors_exit_1_with_the_finding_and_row_as_the_grantee_sees_it(tmp_path, capsys):
    tables = valid_tables()
    tables["programs"][1]["setting"] = "downtown"
    package = write_csv_package(tmp_path / "NY-0042", tables)
    assert main([str(package), *TODAY, "--format", "json"]) == 1
    findings = _json(capsys)["findings"]
    assert [(f["rule_id"], f["table_name"], f["row_number"], f["column_name"]) for f in findings] == [
        ("F03", "programs", 3, "setting")
    ]


def test_table_output_is_readable(tmp_path, capsys):
    tables = valid_tables()
    tables["workforce"][0]["headcount"] = "lots"
    package = write_csv_package(tmp_path / "NY-0042", tables)
    assert main([str(package), *TODAY]) == 1
    out = capsys.readouterr().out
    assert "would be rejected" in out and "F02" in out and "headcount" in out and "lots" in out


def test_csv_output_is_neutralised(tmp_path, capsys):
    tables = valid_tables()
    tables["workforce"][0]["headcount"] = "=2+3"
    package = write_csv_package(tmp_path / "NY-0042", tables)
    assert main([str(package), *TODAY, "--format", "csv"]) == 1
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["value"] == "'=2+3"


def test_package_in_state_and_period_folders_takes_them_from_the_path(tmp_path, capsys):
    tables = valid_tables()
    package = write_csv_package(tmp_path / "ny" / "fy2024" / "NY-0042", tables)
    assert main([str(package), *TODAY, "--format", "json"]) == 1
    findings = _json(capsys)["findings"]
    assert [(f["rule_id"], f["column_name"], f["value"]) for f in findings] == [
        ("P05", "reporting_period", "FY2025")
    ]


def test_package_named_for_another_state_than_its_folder(tmp_path, capsys):
    package = write_csv_package(tmp_path / "NJ" / "FY2025" / "NY-0042", valid_tables())
    assert main([str(package), *TODAY, "--format", "json"]) == 1
    rules = [(f["rule_id"], f["column_name"]) for f in _json(capsys)["findings"]]
    assert ("P05", "grantee_id") in rules


def test_roster_is_applied_only_when_given(tmp_path, capsys):
    package = write_csv_package(tmp_path / "NY-0042", valid_tables())
    roster = tmp_path / "roster.csv"
    roster.write_text("grantee_id,organization_name,first_period,last_period\nNY-0100,Other,FY2020,\n")
    assert main([str(package), *TODAY, "--format", "json", "--roster", str(roster)]) == 1
    assert [f["rule_id"] for f in _json(capsys)["findings"]] == ["P06"]
    roster.write_text("grantee_id,organization_name,first_period,last_period\nNY-0042,Hudson,FY2020,FY2025\n")
    assert main([str(package), *TODAY, "--format", "json", "--roster", str(roster)]) == 0


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--format", "xml"],
        ["--period", "2025"],
        ["--today", "yesterday"],
    ],
)
def test_usage_errors_exit_2(tmp_path, argv):
    package = write_csv_package(tmp_path / "NY-0042", valid_tables())
    full = argv if argv == [] else [str(package), *argv]
    with pytest.raises(SystemExit) as exc:
        main(full)
    assert exc.value.code == 2


def test_missing_package_and_broken_roster_are_usage_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main([str(tmp_path / "NY-9999")])
    assert exc.value.code == 2
    package = write_csv_package(tmp_path / "NY-0042", valid_tables())
    roster = tmp_path / "roster.csv"
    roster.write_text("grantee_id\nNY-0042\n")
    with pytest.raises(SystemExit) as exc:
        main([str(package), "--roster", str(roster)])
    assert exc.value.code == 2
    assert "lacks organization_name" in capsys.readouterr().err


def test_csv_row_numbers_count_records_not_lines(tmp_path, capsys):
    package = write_csv_package(tmp_path / "NY-0042", valid_tables())
    text = (package / "programs.csv").read_text(encoding="utf-8").splitlines()
    header, first, second = text[0], text[1], text[2]
    first = first.replace("Drop-in center", '"Drop-in\ncenter"', 1)  # one record over two lines
    second = second.replace("virtual", "orbital")
    (package / "programs.csv").write_text("\n".join([header, first, "", second]) + "\n", encoding="utf-8")
    assert main([str(package), *TODAY, "--format", "json"]) == 1
    findings = _json(capsys)["findings"]
    assert [(f["rule_id"], f["row_number"], f["column_name"]) for f in findings] == [("F03", 4, "setting")]


def test_package_name_that_is_not_a_grantee_id_is_f05(tmp_path, capsys):
    package = write_csv_package(tmp_path / "my-report", valid_tables())
    assert main([str(package), *TODAY, "--format", "json"]) == 1
    findings = _json(capsys)["findings"]
    assert [(f["rule_id"], f["table_name"], f["column_name"], f["value"]) for f in findings] == [
        ("F05", "organization", "grantee_id", "my-report")
    ]


def test_table_output_shows_values_literally(tmp_path, capsys):
    tables = valid_tables()
    tables["programs"][0]["setting"] = "[bold]x[/bold]"
    package = write_csv_package(tmp_path / "NY-0042", tables)
    assert main([str(package), *TODAY]) == 1
    assert "[bold]x[/bold]" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["ny-42", "NY-0042"])
def test_a_package_outside_state_and_period_folders_takes_its_own_reporting_period(tmp_path, capsys, name):
    tables = valid_tables()
    tables["organization"][0]["reporting_period"] = "FY2023"
    package = write_csv_package(tmp_path / "somewhere" / name, tables)
    main([str(package), *TODAY, "--format", "json"])
    assert _json(capsys)["package"]["period"] == "FY2023"  # not the fiscal year of --today, FY2025
