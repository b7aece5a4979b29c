"""An .xlsx package: one sheet per table, read by a streaming expat parser over hand-checked zip parts.

Nothing in the workbook is evaluated: formulas read as their cached value, external links and
relationships pointing outside the zip are never followed, and part names are only ever looked up
among the zip's own entries, never used as a file path.
"""

from __future__ import annotations

import math
import os
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from pipelines.contract import load_contract
from pipelines.findings import Finding, finding
from pipelines.ingest.readers.safety import PackageRejected, limits, open_regular, problem, reject, too_big
from pipelines.ingest.readers.table_frame import (
    SPACES,
    HeaderPlan,
    RawTable,
    column_index,
    is_blank,
    plan_header,
)
from pipelines.ingest.readers.zipparts import check_declared, inflate, scan_for_dtd

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: an encrypted workbook or an old .xls
ZIP_MAGIC = b"PK\x03\x04"
_REL_OFFICE_DOCUMENT = "/officedocument"
_REL_WORKSHEET = "/worksheet"
_REL_SHARED_STRINGS = "/sharedstrings"
_REL_MACROSHEET = "macrosheet"  # Excel 4 macro sheets: macro-enabled content
MAX_COLUMNS = 16_384  # A..XFD: no spreadsheet has more, and a header may never claim more
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


class _Parts:
    """The zip's parts by lower-case name (OPC part names are case-insensitive)."""

    def __init__(self, fh: BinaryIO, infos: list[zipfile.ZipInfo]):
        self.fh = fh
        self.by_name = {i.filename.lower(): i for i in infos if not i.is_dir()}

    def get(self, name: str) -> zipfile.ZipInfo | None:
        return self.by_name.get(name.lstrip("/").lower())

    def chunks(self, name: str) -> Iterator[bytes]:
        info = self.get(name)
        return inflate(self.fh, info) if info is not None else iter(())


def _parse(
    chunks: Iterator[bytes],
    start: Callable | None = None,
    end: Callable | None = None,
    text: Callable | None = None,
) -> None:
    """Feed an XML part to expat in chunks; any DOCTYPE or entity declaration is refused on sight."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    for chunk in chunks:
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _refuse_dtd(*_args) -> None:
    raise reject("P01", "A workbook part contains a DTD or entity declaration")


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _attr(attrs: dict[str, str], local: str) -> str | None:
    for key, value in attrs.items():
        if _local(key) == local:
            return value
    return None


def _relationships(parts: _Parts, part_name: str) -> list[dict[str, str]]:
    """The relationships of a part (from its _rels/<name>.rels), targets resolved inside the zip."""
    base, _, leaf = part_name.lstrip("/").rpartition("/")
    rels_name = posixpath.join(base, "_rels", leaf + ".rels")
    found: list[dict[str, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship" and (attrs.get("TargetMode") or "").lower() != "external":
            target = attrs.get("Target") or ""
            resolved = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(base, target))
            )
            found.append(
                {"id": attrs.get("Id") or "", "type": (attrs.get("Type") or "").lower(), "target": resolved}
            )

    _parse(parts.chunks(rels_name), start=start)
    return found


def _content_types(parts: _Parts) -> list[str]:
    found: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if attrs.get("ContentType"):
            found.append(attrs["ContentType"].lower())

    _parse(parts.chunks("[Content_Types].xml"), start=start)
    return found


def _sheets(parts: _Parts) -> tuple[list[tuple[str, str | None, str]], str | None]:
    """(sheet name, part name or None, relationship type) for every sheet in workbook order, and the
    shared-strings part."""
    if any("macroenabled" in ct or "vbaproject" in ct for ct in _content_types(parts)):
        raise reject("P01", "The workbook is macro-enabled")
    book = next(
        (r["target"] for r in _relationships(parts, "") if r["type"].endswith(_REL_OFFICE_DOCUMENT)), None
    )
    if book is None or parts.get(book) is None:
        raise reject("P01", "The file is not an .xlsx workbook (it has no workbook part)")
    if book.lower().endswith(".bin"):
        raise reject("P01", "The workbook is a binary (.xlsb) workbook")
    rels = {r["id"]: r for r in _relationships(parts, book)}
    sheets: list[tuple[str, str | None, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "sheet":
            rel = rels.get(_attr(attrs, "id") or "")
            sheets.append(
                (attrs.get("name") or "", rel["target"] if rel else None, rel["type"] if rel else "")
            )

    _parse(parts.chunks(book), start=start)
    if any(_REL_MACROSHEET in kind for _, _, kind in sheets):
        raise reject("P01", "The workbook contains macro sheets")
    strings = next((r["target"] for r in rels.values() if r["type"].endswith(_REL_SHARED_STRINGS)), None)
    return sheets, strings


def _unescape(text: str) -> str:
    """OOXML writes characters XML cannot hold as _xHHHH_."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _shared_strings(parts: _Parts, name: str | None) -> list[str]:
    strings: list[str] = []
    if name is None:
        return strings
    pieces: list[str] = []
    state = {"capture": False, "phonetic": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = _local(tag)
        if tag == "si":
            pieces.clear()
        elif tag == "rPh":
            state["phonetic"] = True
        elif tag == "t" and not state["phonetic"]:
            state["capture"] = True

    def end(tag: str) -> None:
        tag = _local(tag)
        if tag == "t":
            state["capture"] = False
        elif tag == "rPh":
            state["phonetic"] = False
        elif tag == "si":
            strings.append(_unescape("".join(pieces)))

    def text(data: str) -> None:
        if state["capture"]:
            pieces.append(data)

    _parse(parts.chunks(name), start=start, end=end, text=text)
    return strings


def general_number(text: str) -> str:
    """A number cell as a spreadsheet shows it in General format, at 15 significant digits.

    4013.0 -> "4013", 12.5 -> "12.5", 0.1+0.2 -> "0.3", 1e-05 -> "1E-05".
    """
    try:
        value = float(text)
    except ValueError:
        return text.strip()
    if not math.isfinite(value):
        return text.strip()
    shown = f"{value:.15g}"
    if "e" in shown:
        mantissa, _, exponent = shown.partition("e")
        return f"{mantissa}E{exponent[0]}{int(exponent[1:]):02d}"
    return "0" if shown == "-0" else shown


def plain_number(text: str) -> str:
    """A number cell in an int or decimal column: the number it holds at 15 significant digits, written
    out in full (1e15 -> "1000000000000000"), so a huge count is out of range (F04), not of the wrong
    type as the exponent of General format would make it."""
    shown = general_number(text)
    if "E" not in shown:
        return shown
    written = format(Decimal(shown), "f")
    return written.rstrip("0").rstrip(".") if "." in written else written


# Counts and codes repeat across cells and packages; only short texts are cached so the cache stays small.
_general_cached = lru_cache(maxsize=1 << 14)(general_number)
_plain_cached = lru_cache(maxsize=1 << 14)(plain_number)


@lru_cache(maxsize=1 << 12)
def _letters_index(letters: str) -> int:
    return column_index(letters)


class _SheetReader:
    """Streams a worksheet: row 1 is the header, later rows are records with the sheet's own numbers."""

    def __init__(self, table: str, strings: list[str]):
        self.table = table
        self.strings = strings
        self.max_rows = limits()["table_rows"]
        self.plan: HeaderPlan | bool | None = None  # known once row 1 is read; False: no header
        self.raw: RawTable | None = None
        self.positions: list[int] = []
        self.numeric: frozenset[int] = frozenset()  # positions of int and decimal columns
        self.row_number = 0
        self.cells: dict[int, str] = {}
        self.col = -1
        self.kind = "n"
        self.value: str | None = None
        self.inline: list[str] = []
        self.buffer: list[str] = []
        self.capture = False
        self.in_inline = False
        self.phonetic = False
        self.formula = False
        self.names: dict[int, str] = {}  # header position -> contract column

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if ":" in tag:
            tag = _local(tag)
        if tag == "c":
            ref = attrs.get("r")
            self.col = _letters_index(ref.rstrip("0123456789")) if ref else self.col + 1
            if self.col >= MAX_COLUMNS:
                raise reject(
                    "P01",
                    f"The workbook is corrupt (cell {ref} is beyond the last column, XFD)",
                    table=self.table,
                )
            self.kind = attrs.get("t") or "n"
            self.value = None
            self.inline = []
            self.formula = False
        elif tag == "f":
            self.formula = True
        elif tag == "v":
            self.buffer = []
            self.capture = True
        elif tag == "row":
            number = attrs.get("r")
            self.row_number = int(number) if number else self.row_number + 1
            self.cells = {}
            self.col = -1
        elif tag == "is":
            self.in_inline = True
        elif tag == "rPh":
            self.phonetic = True
        elif tag == "t" and self.in_inline and not self.phonetic:
            self.buffer = []
            self.capture = True

    def end(self, tag: str) -> None:
        if ":" in tag:
            tag = _local(tag)
        if tag == "c":
            value = self._cell()
            if value:
                self.cells[self.col] = value
        elif tag == "v":
            self.value = "".join(self.buffer)
            self.capture = False
        elif tag == "row":
            self._row()
        elif tag == "t" and self.capture:
            self.inline.append("".join(self.buffer))
            self.capture = False
        elif tag == "is":
            self.in_inline = False
        elif tag == "rPh":
            self.phonetic = False

    def text(self, data: str) -> None:
        if self.capture:
            self.buffer.append(data)

    def _cell(self) -> str:
        kind, value = self.kind, self.value
        if kind == "inlineStr":
            return _unescape("".join(self.inline))
        # A formula with no cached value (<v> absent, or empty where the result is not text) reads as empty.
        if value is None or (self.formula and not value and kind != "str"):
            if self.formula and self.plan and self.col in self.names:
                self.raw.uncached_formulas.append((self.row_number, self.names[self.col]))
            return ""  # a formula with no cached value, or an empty cell
        if kind == "s":
            try:
                return self.strings[int(value)]
            except (ValueError, IndexError) as exc:
                raise reject(
                    "P01",
                    "The workbook is corrupt (a cell names a shared string that does not exist)",
                    table=self.table,
                ) from exc
        if kind == "b":
            return "TRUE" if value.strip() == "1" else "FALSE"
        if kind in ("str", "e", "d"):
            return _unescape(value)
        if self.col in self.numeric:
            return _plain_cached(value) if len(value) <= 32 else plain_number(value)
        return _general_cached(value) if len(value) <= 32 else general_number(value)

    def _row(self) -> None:
        cells, self.cells = self.cells, {}
        if self.plan is None:
            # Row 1 is the header; a sheet whose first row is a later one has no header.
            self.plan = self._header(cells) if self.row_number == 1 else False
            if self.plan:
                self.raw = RawTable(self.plan)
                self.positions = self.plan.positions
                self.names = {i: name for name, i in self.plan.columns.items()}
                columns = load_contract().tables[self.table]
                self.numeric = frozenset(
                    i
                    for name, i in self.plan.columns.items()
                    if columns.column(name).type in ("int", "decimal")
                )
            return
        if not self.plan or is_blank("".join(cells.values())):
            return
        raw, width = self.raw, self.plan.width
        if max(cells) >= width:
            beyond = sorted(i for i in cells if i >= width and not is_blank(cells[i]))
            if beyond:
                raw.extras.append((self.row_number, cells[beyond[0]].strip(SPACES)))
        if len(raw.rows) >= self.max_rows:
            raise reject(
                "P04",
                f"The {self.table} table has more than {self.max_rows:,} rows",
                table=self.table,
                value=f"more than {self.max_rows:,} rows",
            )
        if self.plan.blank:
            raw.valued_blank.update(i for i in self.plan.blank.intersection(cells) if not is_blank(cells[i]))
        get = cells.get
        raw.rows.append(tuple([get(i, "") for i in self.positions]))
        raw.row_numbers.append(self.row_number)

    def _header(self, cells: dict[int, str]) -> HeaderPlan | bool:
        named = [i for i, v in cells.items() if not is_blank(v)]
        if not named:
            return False
        return plan_header(self.table, [cells.get(i, "") for i in range(max(named) + 1)])

    def raw_table(self) -> RawTable | None:
        return self.raw if self.plan else None


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
        chosen[table] = (sheet, part if kind.endswith(_REL_WORKSHEET) else "")
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
            return _read_sheets(_Parts(fh, infos), findings)
        except expat.ExpatError as exc:
            raise reject("P01", f"{path.name} is corrupt (a part is not well-formed XML: {exc})") from exc


def _read_sheets(parts: _Parts, findings: list[Finding]) -> dict[str, RawTable]:
    sheets, strings_part = _sheets(parts)
    chosen = _tables_of(sheets, findings)
    strings = _shared_strings(parts, strings_part) if chosen else []
    tables: dict[str, RawTable] = {}
    for table in load_contract().tables:
        if table not in chosen or not chosen[table][1]:
            continue
        reader = _SheetReader(table, strings)
        try:
            _parse(parts.chunks(chosen[table][1]), start=reader.start, end=reader.end, text=reader.text)
        except PackageRejected as exc:
            if exc.finding.table_name is None:
                raise
            findings.append(exc.finding)  # this sheet is unreadable; the others are still read
            continue
        raw = reader.raw_table()
        if raw is not None:
            tables[table] = raw
    return tables
