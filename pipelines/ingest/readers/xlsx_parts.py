"""The zip parts of an .xlsx workbook: XML parsed by streaming expat with any DTD refused, relationships
resolved only among the zip's own entries, the sheet list and the shared strings."""

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import BinaryIO
from xml.parsers import expat

from pipelines.ingest.readers.safety import reject
from pipelines.ingest.readers.zipparts import inflate

_REL_OFFICE_DOCUMENT = "/officedocument"
REL_WORKSHEET = "/worksheet"
_REL_SHARED_STRINGS = "/sharedstrings"
_REL_MACROSHEET = "macrosheet"  # Excel 4 macro sheets: macro-enabled content
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


class Parts:
    """The zip's parts by lower-case name (OPC part names are case-insensitive)."""

    def __init__(self, fh: BinaryIO, infos: list[zipfile.ZipInfo]):
        self.fh = fh
        self.by_name = {i.filename.lower(): i for i in infos if not i.is_dir()}

    def get(self, name: str) -> zipfile.ZipInfo | None:
        return self.by_name.get(name.lstrip("/").lower())

    def chunks(self, name: str) -> Iterator[bytes]:
        info = self.get(name)
        return inflate(self.fh, info) if info is not None else iter(())


def parse_part(
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


def local_name(name: str) -> str:
    return name.rpartition(":")[2]


def attribute(attrs: dict[str, str], local: str) -> str | None:
    for key, value in attrs.items():
        if local_name(key) == local:
            return value
    return None


def relationships(parts: Parts, part_name: str) -> list[dict[str, str]]:
    """The relationships of a part (from its _rels/<name>.rels), targets resolved inside the zip."""
    base, _, leaf = part_name.lstrip("/").rpartition("/")
    rels_name = posixpath.join(base, "_rels", leaf + ".rels")
    found: list[dict[str, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if local_name(name) == "Relationship" and (attrs.get("TargetMode") or "").lower() != "external":
            target = attrs.get("Target") or ""
            resolved = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(base, target))
            )
            found.append(
                {"id": attrs.get("Id") or "", "type": (attrs.get("Type") or "").lower(), "target": resolved}
            )

    parse_part(parts.chunks(rels_name), start=start)
    return found


def content_types(parts: Parts) -> list[str]:
    found: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if attrs.get("ContentType"):
            found.append(attrs["ContentType"].lower())

    parse_part(parts.chunks("[Content_Types].xml"), start=start)
    return found


def workbook_sheets(parts: Parts) -> tuple[list[tuple[str, str | None, str]], str | None]:
    """(sheet name, part name or None, relationship type) for every sheet in workbook order, and the
    shared-strings part."""
    if any("macroenabled" in ct or "vbaproject" in ct for ct in content_types(parts)):
        raise reject("P01", "The workbook is macro-enabled")
    book = next(
        (r["target"] for r in relationships(parts, "") if r["type"].endswith(_REL_OFFICE_DOCUMENT)), None
    )
    if book is None or parts.get(book) is None:
        raise reject("P01", "The file is not an .xlsx workbook (it has no workbook part)")
    if book.lower().endswith(".bin"):
        raise reject("P01", "The workbook is a binary (.xlsb) workbook")
    rels = {r["id"]: r for r in relationships(parts, book)}
    sheets: list[tuple[str, str | None, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if local_name(name) == "sheet":
            rel = rels.get(attribute(attrs, "id") or "")
            sheets.append(
                (attrs.get("name") or "", rel["target"] if rel else None, rel["type"] if rel else "")
            )

    parse_part(parts.chunks(book), start=start)
    if any(_REL_MACROSHEET in kind for _, _, kind in sheets):
        raise reject("P01", "The workbook contains macro sheets")
    strings = next((r["target"] for r in rels.values() if r["type"].endswith(_REL_SHARED_STRINGS)), None)
    return sheets, strings


def unescape(text: str) -> str:
    """OOXML writes characters XML cannot hold as _xHHHH_."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def shared_strings(parts: Parts, name: str | None) -> list[str]:
    strings: list[str] = []
    if name is None:
        return strings
    pieces: list[str] = []
    state = {"capture": False, "phonetic": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = local_name(tag)
        if tag == "si":
            pieces.clear()
        elif tag == "rPh":
            state["phonetic"] = True
        elif tag == "t" and not state["phonetic"]:
            state["capture"] = True

    def end(tag: str) -> None:
        tag = local_name(tag)
        if tag == "t":
            state["capture"] = False
        elif tag == "rPh":
            state["phonetic"] = False
        elif tag == "si":
            strings.append(unescape("".join(pieces)))

    def text(data: str) -> None:
        if state["capture"]:
            pieces.append(data)

    parse_part(parts.chunks(name), start=start, end=end, text=text)
    return strings
