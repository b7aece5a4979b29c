"""Builders that write fixture packages for the reader, landing and identity tests (all under tmp_path)."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def write_csv_folder(folder: Path, files: dict[str, str | bytes], encoding: str = "utf-8") -> Path:
    """A CSV-folder package: {file name: text or raw bytes}."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode(encoding)
        (folder / name).write_bytes(data)
    return folder


class Cell:
    """One XLSX cell written exactly as given: t attribute, <v> text, optional <f>, inline <is> XML."""

    def __init__(
        self,
        t: str | None = None,
        v: str | None = None,
        f: str | None = None,
        inline: str | None = None,
        ref: bool = True,
    ):
        self.t, self.v, self.f, self.inline, self.ref = t, v, f, inline, ref


def _cell_xml(ref: str, value, strings: list[str]) -> str:
    if value is None:
        return ""
    if isinstance(value, Cell):
        attrs = (f' r="{ref}"' if value.ref else "") + (f' t="{value.t}"' if value.t else "")
        inner = (f"<f>{escape(value.f)}</f>" if value.f else "") + (
            f"<v>{escape(value.v)}</v>" if value.v is not None else ""
        )
        inner += value.inline or ""
        return f"<c{attrs}>{inner}</c>"
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if value not in strings:
        strings.append(value)
    return f'<c r="{ref}" t="s"><v>{strings.index(value)}</v></c>'


def _letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet_xml(rows: dict[int, list] | list[list], strings: list[str]) -> str:
    """Worksheet XML; rows as a list (numbered 1, 2, ...) or {row number: cells} for gaps."""
    numbered = rows.items() if isinstance(rows, dict) else enumerate(rows, start=1)
    body = []
    for number, cells in numbered:
        xml = "".join(_cell_xml(f"{_letter(i)}{number}", v, strings) for i, v in enumerate(cells))
        body.append(f'<row r="{number}">{xml}</row>')
    return f'{XML_DECL}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetData>{"".join(body)}</sheetData></worksheet>'


def xlsx_parts(
    sheets: dict[str, dict[int, list] | list[list] | str],
    extra_parts: dict[str, str | bytes] | None = None,
    extra_content_types: str = "",
    workbook_rels_extra: str = "",
) -> dict[str, str | bytes]:
    """The parts of a minimal, valid workbook: {sheet name: rows or raw sheet XML}."""
    strings: list[str] = []
    parts: dict[str, str | bytes] = {}
    sheet_entries, rels = [], []
    for n, (name, rows) in enumerate(sheets.items(), start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = rows if isinstance(rows, str) else sheet_xml(rows, strings)
        sheet_entries.append(f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>')
        rels.append(f'<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>')
    rels.append(f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
    parts["xl/workbook.xml"] = (
        f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
        f"{''.join(sheet_entries)}</sheets></workbook>"
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">{"".join(rels)}{workbook_rels_extra}</Relationships>'
    )
    sis = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    parts["xl/sharedStrings.xml"] = f'{XML_DECL}<sst xmlns="{MAIN_NS}" count="{len(strings)}">{sis}</sst>'
    parts["_rels/.rels"] = (
        f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
        f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    parts["[Content_Types].xml"] = (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}{extra_content_types}</Types>"
    )
    parts.update(extra_parts or {})
    return parts


def zip_bytes(parts: dict[str, str | bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(name, data if isinstance(data, bytes) else data.encode("utf-8"))
    return buf.getvalue()


def write_xlsx(path: Path, sheets: dict, **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes(xlsx_parts(sheets, **kwargs)))
    return path


def patch_declared_size(data: bytes, part: str, new_size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for one part (local header and central directory)."""
    out = bytearray(data)
    name = part.encode()
    local = out.find(b"PK\x03\x04" + b"")
    while local != -1:
        n, m = struct.unpack_from("<HH", out, local + 26)
        if out[local + 30 : local + 30 + n] == name:
            struct.pack_into("<I", out, local + 22, new_size)
            break
        local = out.find(b"PK\x03\x04", local + 4)
    central = out.find(b"PK\x01\x02")
    while central != -1:
        n, m, k = struct.unpack_from("<HHH", out, central + 28)
        if out[central + 46 : central + 46 + n] == name:
            struct.pack_into("<I", out, central + 24, new_size)
            return bytes(out)
        central = out.find(b"PK\x01\x02", central + 4)
    raise AssertionError(f"part {part} not found")


def rules(read) -> list[str]:
    return [f.rule_id for f in read.findings]


def only(read, rule_id: str):
    found = [f for f in read.findings if f.rule_id == rule_id]
    assert len(found) == 1, read.findings
    return found[0]


def column(read, table: str, name: str) -> list:
    return read.tables[table].get_column(name).to_list()


def lines(rows: Iterable[str]) -> str:
    return "\n".join(rows) + "\n"
