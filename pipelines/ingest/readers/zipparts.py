"""The parts of a workbook's zip, checked and inflated by hand so that no claim in the file is trusted.

Every part is inflated in bounded chunks; a part that inflates past the size the zip declares for it,
or whose checksum differs, stops the read (P01) before more than one chunk beyond the claim is held.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from pipelines.ingest.readers.safety import limits, reject

IN_CHUNK = 1 << 16
OUT_CHUNK = 1 << 20
LOCAL_HEADER = struct.Struct("<4s22xHH")
LOCAL_SIGNATURE = b"PK\x03\x04"
ENCRYPTED_FLAG = 0x1

# A DTD or entity declaration, in the three encodings an XML parser would accept without a declaration.
_DTD_MARKERS = tuple(
    m.encode(enc) for m in ("<!doctype", "<!entity") for enc in ("ascii", "utf-16-le", "utf-16-be")
)
_MARKER_OVERLAP = max(len(m) for m in _DTD_MARKERS)

# Part names that carry macros or binary (.xlsb) workbook content.
_MACRO_NAMES = ("vbaproject", "vbadata", "attachedtoolbars")


def check_declared(parts: list[zipfile.ZipInfo]) -> None:
    """Sizes, ratios, encryption and macro parts, from the zip's directory alone (nothing inflated yet)."""
    names = [p.filename for p in parts]
    if len(set(names)) != len(names):
        raise reject("P01", "The workbook's zip lists the same part twice, so it is corrupt")
    total = 0
    for part in parts:
        lower = part.filename.lower()
        if part.flag_bits & ENCRYPTED_FLAG:
            raise reject("P01", "The workbook is encrypted", value=part.filename)
        if any(m in lower for m in _MACRO_NAMES):
            raise reject("P01", f"The workbook contains macros ({part.filename})", value=part.filename)
        if lower.endswith(".bin") and lower.rpartition("/")[2].startswith("workbook"):
            raise reject("P01", "The workbook is a binary (.xlsb) workbook", value=part.filename)
        total += part.file_size
        ratio = limits()["workbook_compression_ratio"]
        if part.file_size and part.file_size > ratio * part.compress_size:
            raise reject(
                "P04",
                f"The workbook part {part.filename} is compressed more than {ratio} to 1",
                value=part.filename,
            )
    cap = limits()["workbook_uncompressed_bytes"]
    if total > cap:
        raise reject(
            "P04",
            f"The workbook's parts declare {total:,} bytes uncompressed, over {cap:,}",
            value=str(total),
        )


def inflate(fh: BinaryIO, part: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes in chunks of at most OUT_CHUNK, never more than it declares."""
    fh.seek(part.header_offset)
    header = fh.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size or not header.startswith(LOCAL_SIGNATURE):
        raise _corrupt(part)
    name_len, extra_len = LOCAL_HEADER.unpack(header)[1:]
    fh.seek(part.header_offset + LOCAL_HEADER.size + name_len + extra_len)
    if part.compress_type == zipfile.ZIP_STORED:
        inflater = None
    elif part.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    else:
        raise reject(
            "P01", f"The workbook part {part.filename} uses a compression no .xlsx uses", value=part.filename
        )
    produced = 0
    crc = 0
    left = part.compress_size
    try:
        while left > 0:
            data = fh.read(min(IN_CHUNK, left))
            if not data:
                raise _corrupt(part)
            left -= len(data)
            for out in _outputs(inflater, data):
                produced += len(out)
                if produced > part.file_size:
                    raise reject(
                        "P01",
                        f"The workbook part {part.filename} inflates past its declared size",
                        value=part.filename,
                    )
                crc = zlib.crc32(out, crc)
                yield out
    except zlib.error as exc:
        raise _corrupt(part) from exc
    if produced != part.file_size or crc != part.CRC:
        raise _corrupt(part)


def _outputs(inflater, data: bytes) -> Iterator[bytes]:
    if inflater is None:
        yield data
        return
    while data:
        out = inflater.decompress(data, OUT_CHUNK)
        data = inflater.unconsumed_tail
        if out:
            yield out
    # Input used up: drain what zlib still holds, still in bounded pieces.
    while not inflater.eof:
        out = inflater.decompress(b"", OUT_CHUNK)
        if not out:
            break
        yield out


def _corrupt(part: zipfile.ZipInfo):
    return reject("P01", f"The workbook is corrupt or truncated (part {part.filename})", value=part.filename)


def scan_for_dtd(fh: BinaryIO, part: zipfile.ZipInfo) -> None:
    """P01 if the part holds a DTD or entity declaration; inflating it also proves its size and checksum."""
    tail = b""
    for chunk in inflate(fh, part):
        window = (tail + chunk).lower()
        if any(m in window for m in _DTD_MARKERS):
            raise reject(
                "P01",
                f"The workbook part {part.filename} contains a DTD or entity declaration",
                value=part.filename,
            )
        tail = window[-_MARKER_OVERLAP:]
