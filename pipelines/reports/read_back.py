"""Published files read back as a reader gets them: HTML tables and chart data, workbook columns, cells compared."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

from openpyxl import load_workbook

_TABLE_OPEN = re.compile(r'<table\b[^>]*\bdata-slug="([^"]*)"[^>]*>')
_ANY_TABLE_OPEN = re.compile(r"<table\b", re.I)
_ROW_OPEN = re.compile(r"<tr\b[^>]*>")
_CELL = re.compile(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", re.S)
_COLUMN = re.compile(r'data-column="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_CHARTS = re.compile(r'<script type="application/json" id="chart-data">(.*?)</script>', re.S)


def cell_text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def _row_text(row: str) -> list[str]:
    """Each cell's text (tags dropped, entities resolved); a cell without either is only stripped."""
    return [c.strip() if "<" not in c and "&" not in c else cell_text(c) for c in _CELL.findall(row)]


def untraced_tables(text: str) -> int:
    """Tables of a page that do not name the published table they show (no data-slug): read_html_tables
    cannot read them back, so a report page must hold none."""
    return len(_ANY_TABLE_OPEN.findall(text)) - len(_TABLE_OPEN.findall(text))


def read_html_tables(text: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """slug -> (column names, rows of cell text, total row last) for every table of a page. A table runs from
    its opening tag to the first `</table>`, a row from its `<tr>` to the first `</tr>` (found with str.find
    and split: a lazy regex over a page's 200 kB cost more than everything else the read-back does)."""
    tables = {}
    pos = 0
    while (opening := _TABLE_OPEN.search(text, pos)) is not None:
        end = text.find("</table>", opening.end())
        if end < 0:
            break
        rows = []
        for chunk in text[opening.end() : end].split("</tr>")[:-1]:
            row = _ROW_OPEN.search(chunk)
            if row is not None:
                rows.append(chunk[row.end() :])
        header = _COLUMN.findall(rows[0]) if rows else []
        tables[opening.group(1)] = (header, [_row_text(r) for r in rows[1:]])
        pos = end + len("</table>")
    return tables


def read_charts(text: str) -> list[dict]:
    found = _CHARTS.search(text)
    return json.loads(found.group(1)) if found else []


def read_workbook_columns(path: Path) -> dict[str, list[list]]:
    """sheet -> its columns, each a list of cell text (None: empty), every column one value per row; a sheet
    holds no column past its last non-empty cell (calamine through fastexcel when installed: ten times
    openpyxl's speed)."""
    try:
        import fastexcel
    except ImportError:  # pragma: no cover - fastexcel is in the default dependency group
        workbook = load_workbook(path, read_only=True)
        try:
            return {s.title: _columns(list(s.iter_rows(values_only=True))) for s in workbook.worksheets}
        finally:
            workbook.close()
    reader = fastexcel.read_excel(path)
    return {
        name: [
            column.to_pylist()
            for column in reader.load_sheet(name, header_row=None, dtypes="string").to_arrow().columns
        ]
        for name in reader.sheet_names
    }


def _columns(rows: list[tuple]) -> list[list]:  # pragma: no cover - openpyxl's rows hold typed values
    width = max((len(r) for r in rows), default=0)
    return [[None if j >= len(r) or r[j] is None else str(r[j]) for r in rows] for j in range(width)]


def first_difference(got: list, want: list) -> int | None:
    """The first row where a column read back from a workbook does not show the value written (None: none).

    Text must read back exactly; a number as a number equal to it to the four decimals the downloads keep
    (a workbook stores a double; readers print it in their own way); an empty cell (None, a missing or NaN
    figure) as nothing. A column shorter or longer than the other differs where it ends."""
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a == b:
            continue
        if b is None or b == "" or (isinstance(b, float) and math.isnan(b)):
            if a is None or a == "":
                continue
            return i
        if isinstance(b, str) or isinstance(b, bool) or a is None:
            return i
        try:
            if round(float(a), 4) == round(b, 4):
                continue
        except ValueError:
            pass
        return i
    return None if len(got) == len(want) else min(len(got), len(want))
