"""Bytes of a CSV file to text, as the contract's Encodings rule says."""

from __future__ import annotations

from pipelines.findings import Finding, finding
from pipelines.ingest.readers.safety import reject

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(data: bytes, label: str, table: str) -> tuple[str, list[Finding]]:
    """UTF-8 (BOM optional), else strict Windows-1252 with W07; NUL bytes, a UTF-16 BOM or neither is P01."""
    if data.startswith(UTF16_BOMS):
        raise reject(
            "P01",
            f"{label} is UTF-16 text (it starts with a UTF-16 byte-order mark)",
            table=table,
            value=label,
        )
    if b"\0" in data:
        raise reject("P01", f"{label} contains NUL bytes, so it is not a text file", table=table, value=label)
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), [finding("W07", table=table, value=label)]
    except UnicodeDecodeError as exc:
        raise reject(
            "P01",
            f"{label} is neither UTF-8 nor Windows-1252 text (byte {exc.start + 1} cannot be read)",
            table=table,
            value=label,
        ) from exc
