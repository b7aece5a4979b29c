"""Write a workbook of text and number cells exactly as openpyxl's write-only mode writes it, without its
per-cell objects: the sheets are written here, every other part is openpyxl's own.

openpyxl spent most of a site render building a cell object per value and serialising it through
ElementTree. The parts that are not sheets (content types, workbook, styles, theme, properties) are taken
from a workbook openpyxl writes once per list of sheet titles; each sheet's rows are written as the text
openpyxl writes for them (tests/reports/test_xlsx.py compares the two part by part).
"""

from __future__ import annotations

import re
import time
import zipfile
from datetime import UTC, datetime
from functools import cache
from io import BytesIO
from math import isinf, isnan
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

MAX_STRING = 32767  # Excel's longest cell text; openpyxl cuts longer text
_SHEET = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified) [^>]*>)[^<]*(</dcterms:)")


@cache
def _letters(count: int) -> tuple[str, ...]:
    return tuple(get_column_letter(i) for i in range(1, count + 1))


@cache
def _skeleton(titles: tuple[str, ...]) -> tuple[tuple[zipfile.ZipInfo, bytes, bytes | None], ...]:
    """openpyxl's parts of a workbook with these sheets: (entry, content, None), or for a sheet
    (entry, text before its rows, text after them)."""
    workbook = Workbook(write_only=True)
    for title in titles:
        workbook.create_sheet(title=title).append(["-"])
    buffer = BytesIO()
    workbook.save(buffer)
    parts = []
    with zipfile.ZipFile(buffer) as book:
        for entry in book.infolist():
            data = book.read(entry.filename)
            if _SHEET.fullmatch(entry.filename):
                head, rest = data.split(b"<sheetData>", 1)
                parts.append(
                    (entry, head + b"<sheetData>", b"</sheetData>" + rest.split(b"</sheetData>", 1)[1])
                )
            else:
                parts.append((entry, data, None))
    return tuple(parts)


def _text(value: str) -> str:
    value = value[:MAX_STRING]
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
    return value


def _cell(ref: str, value) -> str:
    if isinstance(value, str):
        value = _text(value)
        if value == "":
            return f'<c r="{ref}" t="inlineStr" />'
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{value:d}</v></c>'
    if isinstance(value, int | float):
        if isinstance(value, float) and (isnan(value) or isinf(value)):
            return f'<c r="{ref}" t="n"><v /></c>'
        return f'<c r="{ref}" t="n"><v>{format(value, ".16g")}</v></c>'
    raise TypeError(f"a workbook cell holds text or a number, not {type(value).__name__}")


def _rows(rows: list[list]) -> bytes:
    width = max((len(r) for r in rows), default=0)
    letters = _letters(width)
    out = []
    for i, row in enumerate(rows, 1):
        cells = "".join(_cell(f"{letters[j]}{i}", v) for j, v in enumerate(row) if v is not None)
        out.append(f'<row r="{i}">{cells}</row>')
    return "".join(out).encode("utf-8")


def write_workbook(sheets: list[tuple[str, list[list]]], path: Path) -> Path:
    """One sheet per (title, rows); rows hold text (never read as a formula), numbers or None (empty)."""
    titles = tuple(title for title, _ in sheets)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    now = time.localtime(time.time())[:6]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as book:
        for entry, head, tail in _skeleton(titles):
            info = zipfile.ZipInfo(entry.filename, date_time=now)
            info.compress_type, info.external_attr = entry.compress_type, entry.external_attr
            if tail is not None:
                number = int(_SHEET.fullmatch(entry.filename).group(1))  # sheetN.xml: the Nth sheet created
                data = head + _rows(sheets[number - 1][1]) + tail
            elif entry.filename == "docProps/core.xml":
                data = _CORE_TIME.sub(rb"\g<1>" + stamp + rb"\g<2>", head)
            else:
                data = head
            book.writestr(info, data)
    return path
