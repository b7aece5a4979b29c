"""Published files read back as a reader gets them: HTML tables and chart data, workbook sheets, comparable cells."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

from openpyxl import load_workbook

_TABLE = re.compile(r'<table\b[^>]*\bdata-slug="([^"]*)"[^>]*>(.*?)</table>', re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t([hd])\b([^>]*)>(.*?)</t[hd]>", re.S)
_COLUMN = re.compile(r'data-column="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_CHARTS = re.compile(r'<script type="application/json" id="chart-data">(.*?)</script>', re.S)


def cell_text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def read_html_tables(text: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """slug -> (column names, rows of cell text, total row last) for every table of a page."""
    tables = {}
    for slug, body in _TABLE.findall(text):
        rows = _ROW.findall(body)
        header = _COLUMN.findall(rows[0]) if rows else []
        tables[slug] = (header, [[cell_text(c[2]) for c in _CELL.findall(r)] for r in rows[1:]])
    return tables


def read_charts(text: str) -> list[dict]:
    found = _CHARTS.search(text)
    return json.loads(found.group(1)) if found else []


def read_workbook(path: Path) -> dict[str, list[list]]:
    """sheet -> rows of cell text (calamine through fastexcel when installed: ten times openpyxl's speed)."""
    try:
        import fastexcel
    except ImportError:  # pragma: no cover - fastexcel is in the default dependency group
        workbook = load_workbook(path, read_only=True)
        try:
            return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in workbook.worksheets}
        finally:
            workbook.close()
    reader = fastexcel.read_excel(path)
    sheets = {}
    for name in reader.sheet_names:
        frame = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()
        sheets[name] = [list(row.values()) for row in frame.to_pylist()]
    return sheets


def comparable_rows(rows: list[list], width: int) -> list[list]:
    """Rows as comparable values (a spreadsheet drops trailing empty cells; numbers may read back as text)."""
    return [[comparable(v) for v in [*r, *([None] * (width - len(r)))]] for r in rows]


def comparable(value):
    if isinstance(value, float) and math.isnan(value):
        return ""  # a missing figure: written as an empty cell
    if isinstance(value, str):
        try:
            value = float(value) if value.strip() not in ("", "nan", "inf", "-inf") else value
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float):
        return round(value, 4)
    return "" if value is None else value
