"""The columns of every published table, declared as data beside the report queries (sql/reports/columns.yaml).

Read once; a section asks for its table by slug and gets the columns and source queries declared there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from pipelines.paths import SQL_DIR
from pipelines.reports.tables import NUMERIC_KINDS, TEXT_KINDS, Column, PublishedTable

COLUMNS_FILE = SQL_DIR / "reports" / "columns.yaml"


@dataclass(frozen=True)
class TableSpec:
    slug: str
    sources: tuple[str, ...]
    columns: tuple[Column, ...]


def _column(name: str, spec) -> Column:
    label, kind = (spec, "text") if isinstance(spec, str) else spec
    if kind not in TEXT_KINDS | NUMERIC_KINDS:
        raise ValueError(f"{COLUMNS_FILE.name}: column {name} has an unknown kind {kind!r}")
    return Column(name, label, kind)


@cache
def table_specs() -> dict[str, TableSpec]:
    """slug -> the table's source queries and columns, in the order the file declares them."""
    declared = yaml.safe_load(COLUMNS_FILE.read_text(encoding="utf-8"))
    return {
        slug: TableSpec(
            slug,
            tuple(spec["sources"]),
            tuple(_column(name, column) for name, column in spec["columns"].items()),
        )
        for slug, spec in declared.items()
    }


def published_table(slug: str, *, omit: tuple[str, ...] = (), **content) -> PublishedTable:
    """A table with the declared columns (less any named in `omit`) and sources; `content` gives the rest
    (title, summary, units, rows, total, links, note)."""
    spec = table_specs()[slug]
    columns = [c for c in spec.columns if c.name not in omit]
    return PublishedTable(slug=slug, sources=spec.sources, columns=columns, **content)
