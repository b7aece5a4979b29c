"""An .xlsx package: one sheet per table, read by a streaming expat parser over hand-checked zip parts.

Nothing in the workbook is evaluated: formulas read as their cached value, external links and
relationships pointing outside the zip are never followed, and part names are only ever looked up
among the zip's own entries, never used as a file path.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from xml.parsers import expat

from pipelines.contract import load_contract
from pipelines.findings import Finding, finding
from pipelines.ingest.readers.safety import PackageRejected, limits, open_regular, problem, reject, too_big
from pipelines.ingest.readers.table_frame import (
    RawTable,
)
from pipelines.ingest.readers.xlsx_parts import (
    REL_WORKSHEET,
    Parts,
    parse_part,
    shared_strings,
    workbook_sheets,
)
from pipelines.ingest.readers.xlsx_sheet import SheetReader
from pipelines.ingest.readers.zipparts import check_declared, scan_for_dtd

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: an encrypted workbook or an old .xls
ZIP_MAGIC = b"PK\x03\x04"


def _tables_of(
    sheets: list[tuple[str, str | None, str]], findings: list[Finding]
) -> dict[str, tuple[str, str]]:
    """Sheet for each table it names (name matched case-insensitively); W05 for others, P01 for two."""
    known = load_contract().tables
    chosen: dict[str, tuple[str, str]] = {}
    for sheet, part, kind in sheets:
        table = sheet.strip().lower()
        if table not in known:
            findings.append(finding("W05", value=sheet))
            continue
        if table in chosen:
            listed = f"{chosen[table][0]} and {sheet}"
            findings.append(
                problem("P01", f"The sheets {listed} both name the {table} table", table=table, value=listed)
            )
            chosen[table] = (chosen[table][0], "")  # neither sheet is read
            continue
        chosen[table] = (sheet, part if kind.endswith(REL_WORKSHEET) else "")
    return chosen


def read_workbook(path: Path, findings: list[Finding]) -> dict[str, RawTable]:
    with open_regular(path, path.name) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limits()["package_bytes"]:
            raise too_big(size)
        magic = fh.read(len(OLE_MAGIC))
        if magic == OLE_MAGIC:
            raise reject("P01", f"{path.name} is encrypted or an old .xls workbook, not an .xlsx workbook")
        if not magic.startswith(ZIP_MAGIC):
            raise reject("P01", f"{path.name} is not an .xlsx workbook")
        try:
            infos = zipfile.ZipFile(fh).infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise reject("P01", f"{path.name} is corrupt or truncated (not a readable zip)") from exc
        check_declared(infos)
        for info in infos:
            if not info.is_dir():
                scan_for_dtd(fh, info)
        try:
            return _read_sheets(Parts(fh, infos), findings)
        except expat.ExpatError as exc:
            raise reject("P01", f"{path.name} is corrupt (a part is not well-formed XML: {exc})") from exc


def _read_sheets(parts: Parts, findings: list[Finding]) -> dict[str, RawTable]:
    sheets, strings_part = workbook_sheets(parts)
    chosen = _tables_of(sheets, findings)
    strings = shared_strings(parts, strings_part) if chosen else []
    tables: dict[str, RawTable] = {}
    for table in load_contract().tables:
        if table not in chosen or not chosen[table][1]:
            continue
        reader = SheetReader(table, strings)
        try:
            parse_part(parts.chunks(chosen[table][1]), start=reader.start, end=reader.end, text=reader.text)
        except PackageRejected as exc:
            if exc.finding.table_name is None:
                raise
            findings.append(exc.finding)  # this sheet is unreadable; the others are still read
            continue
        raw = reader.raw_table()
        if raw is not None:
            tables[table] = raw
    return tables
