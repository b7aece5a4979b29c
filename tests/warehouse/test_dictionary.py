"""One dictionary documents every table and column: comments in DuckDB, Markdown and HTML."""

from __future__ import annotations

import html

import pytest

from pipelines.contract import load_contract
from pipelines.paths import SQL_DIR
from pipelines.warehouse import sqlgen
from pipelines.warehouse.dictionary import describe_column, documented_tables, write_dictionary
from pipelines.warehouse.marts import build_marts
from pipelines.warehouse.tables import FACT_TABLES


@pytest.fixture(scope="module")
def docs():
    return documented_tables()


def test_every_table_and_column_has_a_description(docs):
    missing = [d.qualified for d in docs if not d.description.strip()]
    missing += [f"{d.qualified}.{c.name}" for d in docs for c in d.columns if not c.description.strip()]
    assert not missing, f"add descriptions to pipelines/warehouse/dictionary.yaml: {missing}"


def test_dictionary_covers_every_schema_and_mart(docs):
    names = {d.qualified for d in docs}
    contract = load_contract()
    for table in contract.tables:
        assert {f"raw.{table}", f"staging.{table}"} <= names
    assert {f"core.{t}" for t in FACT_TABLES} | {"core.grantees", "core.packages", "core.findings"} <= names
    assert {"marts.state_summary", "marts.region_summary", "marts.submission_status"} <= names


def test_contract_columns_described_by_the_contract_meaning():
    meaning = load_contract().tables["programs"].column("hours_per_week").meaning
    assert describe_column("staging", "programs", "hours_per_week").startswith(
        meaning[:1].upper() + meaning[1:]
    )
    assert describe_column("raw", "programs", "hours_per_week").startswith("As written in the package")
    org_meaning = load_contract().tables["organization"].column("director_lived_experience").meaning
    assert org_meaning[1:] in describe_column("core", "grantees", "director_lived_experience")


def test_warehouse_carries_every_description_as_a_comment(wh):
    build_marts(wh)
    uncommented = wh.execute(
        "SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE schema_name IN ('raw', 'staging', 'core', 'marts') AND database_name = current_database() "
        "AND (comment IS NULL OR comment = '')"
    ).fetchall()
    assert uncommented == []
    tables = wh.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name IN ('raw', 'staging', 'core', 'marts') "
        "AND database_name = current_database() AND (comment IS NULL OR comment = '')"
    ).fetchone()
    assert tables == (0,)
    comment = wh.execute(
        "SELECT comment FROM duckdb_columns() WHERE schema_name = 'core' "
        "AND table_name = 'grantees' AND column_name = 'peer_run_class'"
    ).fetchone()[0]
    assert "peer_partnered" in comment


def test_generated_sql_files_are_up_to_date():
    stale = [
        name
        for name, text in {
            **sqlgen.contract_files(),
            **sqlgen.comment_files(),
            **sqlgen.ordered_mart_files(),
        }.items()
        if (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run `python -m pipelines.warehouse.sqlgen`: {stale}"


def test_write_dictionary_markdown_and_html(tmp_path, docs):
    md_path, html_path = write_dictionary(tmp_path / "out")
    markdown = md_path.read_text(encoding="utf-8")
    page = html_path.read_text(encoding="utf-8")
    for doc in docs:
        assert f"### `{doc.qualified}`" in markdown
        assert f'id="{doc.qualified}"' in page
    assert "| `peer_staff_headcount` | BIGINT |" in markdown
    certified = next(
        c
        for d in docs
        if d.qualified == "marts.state_summary"
        for c in d.columns
        if c.name == "certified_peer_specialists"
    )
    assert html.escape(certified.description) in page
    assert page.startswith("<!doctype html>") and "<script" not in page
