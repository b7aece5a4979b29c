"""The machine-readable contract must say what the guide says: parse the guide's tables and compare."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.contract import load_contract
from pipelines.paths import PROJECT_ROOT

GUIDE = PROJECT_ROOT / "docs" / "submission-guide.md"
SHARED_GUIDE = PROJECT_ROOT.parent / "shared" / "spec" / "submission-guide.md"


def _markdown_tables(text: str) -> dict[str, list[list[str]]]:
    """Heading -> rows (cells stripped, header and rule lines dropped) of the first table under it."""
    tables: dict[str, list[list[str]]] = {}
    heading = None
    for line in text.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            continue
        if heading and line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-+:?", c) for c in cells):
                continue
            tables.setdefault(heading, []).append(cells)
    return {h: rows[1:] for h, rows in tables.items()}  # drop each header row


@pytest.fixture(scope="module")
def guide_tables() -> dict[str, list[list[str]]]:
    return _markdown_tables(GUIDE.read_text(encoding="utf-8"))


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_docs_copy_matches_shared_guide_when_available():
    if not SHARED_GUIDE.exists():
        pytest.skip("no ../shared checkout beside the repo")
    assert GUIDE.read_bytes() == SHARED_GUIDE.read_bytes(), "docs/submission-guide.md drifted from the guide"


@pytest.mark.parametrize("table", list(load_contract().tables))
def test_table_columns_types_and_required_match_guide(guide_tables, table):
    heading = next(h for h in guide_tables if h.split(" ")[0] == table)
    rows = guide_tables[heading]
    spec = load_contract().tables[table]
    assert [r[0] for r in rows] == list(spec.column_names)
    for name, kind, req, meaning in rows:
        column = spec.column(name)
        assert column.type == kind, name
        assert column.required == (req == "yes"), name
        _assert_range_matches(column, meaning)
        _assert_codes_match(column, meaning)


def _assert_range_matches(column, meaning: str) -> None:
    if m := re.search(r"(\d[\d,]*) to (\d[\d,]*) characters", meaning):
        assert (column.min_length, column.max_length) == (int(_number(m[1])), int(_number(m[2]))), column.name
    elif m := re.search(r"(-?\d[\d,]*) to (\d[\d,]*)", meaning):
        assert (column.min, column.max) == (_number(m[1]), _number(m[2])), column.name
    elif m := re.search(r"(\d[\d,]*) to ([a-z_]+)", meaning):
        if m[2] == "the":  # "1900 to the period's year"
            assert (column.min, column.max_rule) == (_number(m[1]), "period_year")
        else:
            assert (column.min, column.max_column) == (_number(m[1]), m[2]), column.name


def _assert_codes_match(column, meaning: str) -> None:
    listed = re.findall(r"`([a-z_]+)`", meaning)
    if column.type == "code" and len(listed) > 1:
        assert set(listed) == set(load_contract().code_values(column.codes)), column.name


def test_program_types_match_guide(guide_tables):
    rows = guide_tables["Program types"]
    codes = load_contract().codes["program_type"]
    assert [(r[0].strip("`"), r[1], r[2]) for r in rows] == [(c.code, c.label, c.field_term) for c in codes]


def test_funding_sources_match_guide(guide_tables):
    rows = guide_tables["Funding sources"]
    codes = load_contract().codes["funding_source"]
    assert [(r[0].strip("`"), r[1], r[2]) for r in rows] == [(c.code, c.label, c.category) for c in codes]


def test_rules_match_guide(guide_tables):
    rows = guide_tables["Rules"]
    rules = load_contract().rules
    assert [r[0] for r in rows] == list(rules)
    for rule_id, severity, summary in rows:
        assert rules[rule_id].severity == severity, rule_id
        assert rules[rule_id].summary == summary, rule_id


def test_bool_spellings_match_guide():
    text = GUIDE.read_text(encoding="utf-8")
    m = re.search(r"`bool`\s*\(([^)]*)\)", text)
    pairs = re.findall(r"`([a-z0-9]+)/([a-z0-9]+)`", m[1])
    contract = load_contract().bool_values
    assert [p[0] for p in pairs] == list(contract[True]) and [p[1] for p in pairs] == list(contract[False])


def test_roster_columns_match_guide():
    text = GUIDE.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if "`roster.csv` columns" in ln)
    following = text[text.index(line) :].split("\n\n")[0]
    assert re.findall(r"`([a-z_]+)`", following) == [c.name for c in load_contract().roster_columns]


def test_limits_match_guide():
    text = GUIDE.read_text(encoding="utf-8")
    limits = load_contract().limits
    assert f"20 MB means {limits['package_bytes']:,} bytes" in text
    assert f"{limits['table_rows']:,} is allowed" in text
    assert (
        f"more than\n{limits['workbook_uncompressed_bytes']:,} bytes" in text
        or f"{limits['workbook_uncompressed_bytes']:,} bytes" in text
    )
    assert (
        f"more than {limits['workbook_compression_ratio']} to\n1" in text
        or f"more than {limits['workbook_compression_ratio']} to 1" in text
    )
    assert f"default {limits['quiet_period_seconds']} seconds" in text


def test_identifier_patterns_accept_the_guides_examples():
    contract = load_contract()
    for example in ("NY-0042", "TX-HOPE7"):
        assert contract.pattern("grantee_id").fullmatch(example)
    for bad in ("NY-42", "ny-0042", "NY0042", "NY-ABCDEFGHIJKLM"):
        assert not contract.pattern("grantee_id").fullmatch(bad)
    assert contract.pattern("reporting_period").fullmatch("FY2026")
    assert not contract.pattern("reporting_period").fullmatch("FY26")


def test_guide_copy_is_in_repo():
    assert Path(GUIDE).is_file()
