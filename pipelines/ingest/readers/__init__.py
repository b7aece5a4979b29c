"""Read a package (an .xlsx workbook or a folder of CSV files) into all-text table frames and findings.

`read_package(path)` never raises for anything a package can contain: every problem is a finding.
P01 (unreadable or unsafe) and P04 (too big) come in two scopes:
- with no table name, the package as a whole (a link, over 20 MB, a corrupt, encrypted or macro-enabled
  workbook, a DTD): the read stops and the result has no tables;
- with a table name, that table alone (undecodable text, over 100,000 rows, two files or sheets for
  it): that table is absent from the result, the others are read.
Callers should therefore not report a table as missing (P02) when a P01/P04 names it.

Where the contract leaves a choice, the readers decide:
- The header is row 1 (a CSV file's first record; a sheet's row 1). A row 1 with no name in it, or a
  sheet whose first row is a later one, is no header: the table is absent. A sheet's header ends at
  its last named cell; a CSV header has as many fields as its record.
- Data rows for the row limit are the rows kept: all-empty rows are neither kept nor counted.
- A row whose only values are in unknown columns is kept (its contract cells are empty).
- A repeated header name: P03 once (row 1, column = the name); the first column of that name is read.
- W05 values: the column or sheet name as written, a file name (a sub-folder ends in "/"), or
  "column C (no header name)" for values under an empty header name.
- P03 for a value beyond the header: one per row, value = the first such value.
- XLSX booleans read TRUE/FALSE, error cells their text (#N/A), date cells their ISO text.
- A number cell in an int or decimal column reads as its number (15 significant digits) written out in
  full, never with an exponent (1e15 -> 1000000000000000, so F04, not F02); in any other column it reads
  as General format shows it (4013, 0.3, 1E+15).
- CSV quoting is strict RFC 4180: a quoted field still open at the end of the file (truncated) or text
  after a closing quote makes the table unreadable (P01 for that table). A quote inside an unquoted field
  is kept as a character.
- "Trimmed of surrounding spaces" removes every character Python counts as white space (tabs, no-break
  spaces, line breaks at the ends of a quoted value), not only U+0020.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from pipelines.findings import Finding, finding
from pipelines.ingest.model import PackageRead
from pipelines.ingest.readers.csv_folder import read_folder
from pipelines.ingest.readers.safety import PackageRejected, problem, reject
from pipelines.ingest.readers.table_frame import RawTable, build_frame
from pipelines.ingest.readers.xlsx import read_workbook

__all__ = ["read_package"]

UNREADABLE = (
    OSError,
    ValueError,
    LookupError,
    ArithmeticError,
    UnicodeError,
    RecursionError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
    expat.ExpatError,
)


def read_package(path: Path) -> PackageRead:
    """Read the package at path; the path itself is never followed if it is a link."""
    path = Path(path)
    findings: list[Finding] = []
    try:
        raws = _read_raw(path, findings)
        result = PackageRead(findings=findings)
        for name, raw in raws.items():
            frame, notes = build_frame(raw)
            result.tables[name] = frame
            findings.extend(notes)
            result.uncached_formulas.extend((name, row, column) for row, column in raw.uncached_formulas)
        return result
    except PackageRejected as exc:
        return PackageRead(tables={}, findings=[*findings, exc.finding])
    except UNREADABLE as exc:
        # Whatever a malformed file makes the parsers raise (a row number that is not a number, a
        # failing disk read): the package is answered as unreadable, the run goes on.
        reason = f"{path.name} could not be read ({type(exc).__name__}: {exc})"
        return PackageRead(tables={}, findings=[*findings, problem("P01", reason, value=path.name)])


def _read_raw(path: Path, findings: list[Finding]) -> dict[str, RawTable]:
    if path.is_symlink():
        raise reject("P01", f"{path.name} is a symbolic link", value=path.name)
    if path.is_dir():
        return read_folder(path, findings)
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path, findings)
    if path.suffix.lower() in (".xlsm", ".xlsb", ".xls", ".xltm"):
        raise reject(
            "P01",
            f"{path.name} is a macro-enabled, binary or old-format workbook, not .xlsx",
            value=path.name,
        )
    raise reject("P01", f"{path.name} is not an .xlsx workbook or a folder of CSV files", value=path.name)


def read_guarded(path: Path) -> PackageRead:
    """The reader never raises on package content by design; should a package still break it, that one
    package is rejected as unreadable (P01) instead of failing every other package of the run."""
    try:
        return read_package(path)
    except Exception as error:  # noqa: BLE001 - the finding carries the error for the operator
        return PackageRead(
            findings=[
                finding(
                    "P01",
                    value=type(error).__name__,
                    message="The package could not be read; send it again as a plain .xlsx workbook or a folder of "
                    f"UTF-8 CSV files (reader error: {type(error).__name__}: {str(error)[:200]}).",
                )
            ]
        )
