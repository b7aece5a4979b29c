"""Write packages and rosters to the landing tree, byte-for-byte reproducibly.

Nothing here reads the clock: file modification times come from the caller (derived from the period),
and workbooks are re-stamped so their zip entries and document properties carry that same time.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from pipelines.generate.packages import Package
from pipelines.generate.plans import Habits

CORE_PROPERTIES = "docProps/core.xml"
_CORE_TIMES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def spell(value: Any, habits: Habits) -> str:
    """A value as the grantee types it into a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return habits.bool_words[0] if value else habits.bool_words[1]
    return str(value)


def cell(value: Any, habits: Habits) -> Any:
    """A value as the grantee's spreadsheet holds it: numbers as numbers, everything else as text."""
    if isinstance(value, bool):
        return habits.bool_words[0] if value else habits.bool_words[1]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def table_name(name: str, habits: Habits) -> str:
    return name.title() if habits.title_case_sheets else name


def touch(path: Path, mtime: int) -> None:
    os.utime(path, ns=(mtime * 1_000_000_000, mtime * 1_000_000_000))


def write_csv_folder(folder: Path, package: Package, habits: Habits, mtime: int) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, sheet in package.tables.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer)  # RFC 4180: CRLF line ends, quotes only where needed
        writer.writerow(sheet.columns)
        for row in sheet.rows:
            writer.writerow([spell(row.get(c), habits) for c in sheet.columns])
        path = folder / f"{table_name(name, habits)}.csv"
        path.write_bytes(buffer.getvalue().encode("utf-8-sig" if habits.bom else "utf-8"))
        touch(path, mtime)
    touch(folder, mtime)
    return folder


def workbook_bytes(package: Package, habits: Habits, mtime: int) -> bytes:
    wb = Workbook(write_only=True)
    when = datetime.fromtimestamp(mtime, UTC).replace(tzinfo=None)
    wb.properties.created = when
    wb.properties.creator = package.grantee_id
    for name, sheet in package.tables.items():
        ws = wb.create_sheet(table_name(name, habits))
        ws.append(sheet.columns)
        for row in sheet.rows:
            ws.append([cell(row.get(c), habits) for c in sheet.columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    return restamp(buffer.getvalue(), when)


def restamp(data: bytes, when: datetime) -> bytes:
    """The same workbook with every zip entry and the document's created/modified times set to `when`.

    openpyxl stamps both with the wall clock at save time, which would make two identical runs differ.
    """
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    date_time = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == CORE_PROPERTIES:
                content = _CORE_TIMES.sub(
                    lambda m: f"{m.group(1)}{iso}{m.group(3)}", content.decode()
                ).encode()
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content)
    return out.getvalue()


def write_xlsx(path: Path, package: Package, habits: Habits, mtime: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(package, habits, mtime))
    touch(path, mtime)
    return path


def write_roster(path: Path, columns: list[str], rows: list[dict[str, str | None]], mtime: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c) or "" for c in columns])
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    touch(path, mtime)
    return path
