"""The published tables' columns are declared once, in sql/reports/columns.yaml: every declared table is
built by a section, every declared column is shown on some page, kinds are ones the writers know, and every
source is a report query."""

from __future__ import annotations

import pytest
import yaml

from pipelines.paths import SQL_DIR
from pipelines.reports.cells import publishable_counts
from pipelines.reports.columns import COLUMNS_FILE, table_specs
from pipelines.reports.data import read_landscape
from pipelines.reports.pages import PageBuilder
from pipelines.reports.tables import NUMERIC_KINDS, TEXT_KINDS


@pytest.fixture(scope="module")
def built_tables(fixture_warehouse) -> dict[str, set[str]]:
    """slug -> every column name the national page and every state page of the fixture show in it."""
    land = read_landscape(fixture_warehouse.path)
    builder = PageBuilder(land, publishable_counts(land))
    shown: dict[str, set[str]] = {}
    for page in [builder.national(), *(builder.state(s) for s in land.states)]:
        for table in page.tables:
            shown.setdefault(table.slug, set()).update(table.header())
    return shown


def test_every_declared_column_is_shown(built_tables):
    declared = {slug: {c.name for c in spec.columns} for slug, spec in table_specs().items()}
    assert set(built_tables) == set(declared)
    for slug, names in declared.items():
        assert built_tables[slug] == names, slug


def test_kinds_and_labels_are_valid():
    for spec in table_specs().values():
        assert spec.columns, spec.slug
        for column in spec.columns:
            assert column.kind in TEXT_KINDS | NUMERIC_KINDS, (spec.slug, column.name)
            assert column.label.strip(), (spec.slug, column.name)


def test_sources_are_report_queries():
    for spec in table_specs().values():
        assert spec.sources, spec.slug
        for source in spec.sources:
            assert (SQL_DIR / "reports" / f"{source}.sql").is_file(), (spec.slug, source)


def test_an_unknown_kind_is_refused(tmp_path, monkeypatch):
    from pipelines.reports import columns

    broken = yaml.safe_load(COLUMNS_FILE.read_text(encoding="utf-8"))
    broken["headline"]["columns"]["grantees"] = ["Grantees", "counts"]
    path = tmp_path / "columns.yaml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    monkeypatch.setattr(columns, "COLUMNS_FILE", path)
    columns.table_specs.cache_clear()
    try:
        with pytest.raises(ValueError, match="unknown kind"):
            columns.table_specs()
    finally:
        monkeypatch.undo()
        columns.table_specs.cache_clear()
