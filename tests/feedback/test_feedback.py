from __future__ import annotations

import csv

import polars as pl

from pipelines.feedback import write_feedback
from pipelines.published_text import neutralise, neutralise_frame
from tests.validate.helpers import valid_tables, validate_one


def _rejected_batch():
    tables = valid_tables()
    tables["programs"][1]["program_type"] = "<script>alert('x')</script>"  # F03, shown as its value
    tables["organization"][0]["year_founded"] = "=1+1"
    tables["programs"][0]["setting"] = "<b>downtown</b>"
    tables["programs"][1]["contacts"] = "5"  # W02 warning
    del tables["workforce"]  # P02, a package-level error
    return validate_one(tables)


def test_feedback_html_lists_what_to_fix_grouped_by_table_and_escapes_values(tmp_path):
    batch = _rejected_batch()
    package = batch.packages.row(0, named=True)
    html_path, csv_path = write_feedback(tmp_path / "v1", package, batch.findings.drop("package_key"))
    html = html_path.read_text(encoding="utf-8")
    assert "Not accepted." in html
    assert "<script>" not in html and "&lt;script&gt;alert(" in html
    assert "&lt;b&gt;downtown&lt;/b&gt;" in html
    assert "Table programs" in html and "Table organization" in html
    # the first thing to fix is the missing table, before any cell
    first = html.split("What to fix first", 1)[1].split("</ol>", 1)[0]
    assert first.index("Add the workforce table") < first.index("Write year_founded")
    assert "http://" not in html and "https://" not in html and "<link" not in html
    # one row per finding, plus a header row for each group: whole package, organization, programs
    assert html.count("<tr>") == batch.findings.height + 3
    assert csv_path.exists()


def test_feedback_for_an_accepted_package(tmp_path):
    batch = validate_one()
    html_path, _ = write_feedback(tmp_path, batch.packages.row(0, named=True), batch.findings)
    assert "Accepted." in html_path.read_text(encoding="utf-8")


def test_feedback_csv_neutralises_formula_like_text(tmp_path):
    batch = _rejected_batch()
    _, csv_path = write_feedback(tmp_path, batch.packages.row(0, named=True), batch.findings)
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    values = {r["column_name"]: r["value"] for r in rows}
    assert values["year_founded"] == "'=1+1"
    assert rows[0]["rule_id"] == "P02"
    assert all(not (r["value"] or "x").startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows)


def test_neutralise_prefixes_exactly_the_dangerous_starts():
    for text in ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"]:
        assert neutralise(text) == "'" + text
    for value in ["ok", "a=b", "", None, 5, -5.0]:
        assert neutralise(value) == value
    frame = pl.DataFrame({"t": ["-1", "fine"], "n": [-1, 2]})
    assert neutralise_frame(frame).to_dict(as_series=False) == {"t": ["'-1", "fine"], "n": [-1, 2]}


def test_feedback_for_a_duplicate_says_nothing_changed(tmp_path):
    package = {
        "grantee_id": "NY-0042",
        "state": "NY",
        "period": "FY2025",
        "version": 3,
        "status": "duplicate",
        "error_count": 0,
        "warning_count": 0,
        "duplicate_of": 2,
    }
    empty = pl.DataFrame(
        schema={
            "rule_id": pl.Utf8,
            "severity": pl.Utf8,
            "table_name": pl.Utf8,
            "row_number": pl.Int64,
            "column_name": pl.Utf8,
            "value": pl.Utf8,
            "message": pl.Utf8,
        }
    )
    html_path, csv_path = write_feedback(tmp_path, package, empty)
    html = html_path.read_text(encoding="utf-8")
    assert "Already received." in html and "version 2" in html and "Not accepted" not in html
    assert csv_path.read_text(encoding="utf-8").splitlines() == [
        "rule_id,severity,table_name,row_number,column_name,value,message"
    ]


def test_cap_summary_comes_after_the_findings_it_continues():
    from pipelines.feedback.writer import priority_order
    from pipelines.validate.batch import FINDINGS_PER_RULE

    tables = valid_tables()
    tables["programs"] = [
        {**tables["programs"][1], "program_id": f"P{i}", "setting": "nowhere"}
        for i in range(FINDINGS_PER_RULE + 3)
    ]
    tables["funding"] = [{"funding_source": "mhbg", "amount_usd": "10", "program_id": None}]
    tables["outcomes"] = []
    del tables["workforce"]
    ordered = priority_order(validate_one(tables).findings)
    assert ordered["rule_id"][0] == "P02"
    assert ordered["message"][-1].startswith("3 more F03 findings")
