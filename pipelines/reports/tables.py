"""A published table: the one object the HTML table, the CSV and the XLSX download are all written from."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.reports.xlsx import write_workbook

try:  # shared helper owned by another module; a private copy keeps reports working without it
    from pipelines.published_text import neutralise
except ImportError:  # pragma: no cover - depends on the other helper's progress
    _FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

    def neutralise(value):
        if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
            return "'" + value
        return value


TOTAL_LABEL = "Total"
NO_VALUE = "\u2014"  # an em dash: the figure cannot be given; a footnote under the table says why
# kinds: text | count (organizations, programs, staff: public) | people (suppressed) | usd | share | ratio
TEXT_KINDS = {"text"}
NUMERIC_KINDS = {"count", "people", "usd", "share", "ratio", "usd_ratio"}


@dataclass(frozen=True)
class Missing:
    """A figure the page cannot give (no population, nobody served, not reported), and the reason why.

    Shown as NO_VALUE with the reason as a footnote under its table; downloads leave the cell empty."""

    reason: str


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str = "text"
    unit: str = ""


@dataclass
class PublishedTable:
    slug: str
    title: str
    summary: str
    units: str
    columns: list[Column]
    rows: list[list]
    total: list | None = None
    links: dict[int, str] = field(default_factory=dict)  # row index -> relative href for the first cell
    note: str = ""
    sources: tuple[str, ...] = ()  # the landscape frames (report queries) the figures are built from

    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def records(self) -> list[list]:
        """Body rows and the total row, as written to the downloads."""
        return self.rows + ([self.total] if self.total is not None else [])

    @property
    def footnotes(self) -> list[str]:
        """Why each kind of missing figure in the table is missing, in order of first appearance."""
        reasons = [v.reason for row in self.records() for v in row if isinstance(v, Missing)]
        return list(dict.fromkeys(reasons))


def format_cell(value, kind: str) -> str:
    """How a cell reads on the page (downloads keep plain numbers)."""
    if value is None:
        return ""
    if isinstance(value, Missing):
        return NO_VALUE
    if isinstance(value, str):
        return value
    if kind in ("count", "people"):
        return f"{int(value):,}"
    if kind == "usd":
        return f"${value:,.0f}"
    if kind == "usd_ratio":
        return f"${value:,.2f}"
    if kind == "share":
        return f"{value * 100:.1f}%"
    if kind == "ratio":
        return f"{value:,.2f}"
    return str(value)


def _plain(value, kind: str):
    if isinstance(value, Missing):
        return None
    if value is None or isinstance(value, str):
        return value
    if kind in ("count", "people"):
        return int(value)
    if kind in ("usd", "usd_ratio", "share", "ratio"):
        return round(float(value), 4)
    return value


def csv_text(table: PublishedTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header())
    for row in table.records():
        writer.writerow([neutralise(_plain(v, c.kind)) for v, c in zip(row, table.columns, strict=True)])
    return buffer.getvalue()


def write_csv(table: PublishedTable, path: Path) -> Path:
    path.write_text(csv_text(table), encoding="utf-8")
    return path


def _xlsx_value(value):
    return neutralise(value) if isinstance(value, str) else value


def write_xlsx(tables: list[PublishedTable], path: Path) -> Path:
    """One sheet per table; text is stored as string cells (never as formulas)."""
    sheets = [
        (
            table.slug[:31],
            [
                [_xlsx_value(name) for name in table.header()],
                *(
                    [_xlsx_value(_plain(v, c.kind)) for v, c in zip(row, table.columns, strict=True)]
                    for row in table.records()
                ),
            ],
        )
        for table in tables
    ]
    return write_workbook(sheets, path)
