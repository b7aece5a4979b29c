"""What each published file must show for a table: the audit's side of the read-back, computed once per table.

Built from the PublishedTable itself, not from the text the writers produced, one pass per column with the
column's kind decided once (a function call per cell made the read-back cost more than the render):
- `download_columns`: each column's values as the CSV and XLSX downloads hold them (plain numbers, text
  neutralised against formula injection, None for an empty cell), header first;
- `download_csv`: the CSV text those values make, compared byte for byte with the file;
- `page_rows`: each record's cells as the page reads them (format_cell's text).
"""

from __future__ import annotations

import csv
import io

from pipelines.published_text import neutralise
from pipelines.reports.tables import Missing, PublishedTable, format_cell

_WHOLE = ("count", "people")
_ROUNDED = ("usd", "usd_ratio", "share", "ratio")


def _download_column(values: list, kind: str) -> list:
    """tables._plain then neutralise, for a whole column."""
    if kind in _WHOLE:
        plain = [
            v if v is None or isinstance(v, str) else None if isinstance(v, Missing) else int(v)
            for v in values
        ]
    elif kind in _ROUNDED:
        plain = [
            v if v is None or isinstance(v, str) else None if isinstance(v, Missing) else round(float(v), 4)
            for v in values
        ]
    else:
        plain = [None if isinstance(v, Missing) else v for v in values]
    return [neutralise(v) for v in plain]


def download_columns(table: PublishedTable) -> list[list]:
    """Each column as the downloads hold it: its name, then one value per record (the total row last)."""
    records = table.records()
    return [
        [column.name, *_download_column([r[j] for r in records], column.kind)]
        for j, column in enumerate(table.columns)
    ]


def download_csv(columns: list[list]) -> str:
    """The CSV download of a table with these download columns (csv.writer, header first, LF endings)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(zip(*columns, strict=True))
    return buffer.getvalue()


def page_rows(table: PublishedTable) -> list[list[str]]:
    """Each record's cells as the page reads them."""
    kinds = [c.kind for c in table.columns]
    return [[format_cell(v, kind) for v, kind in zip(r, kinds, strict=True)] for r in table.records()]
