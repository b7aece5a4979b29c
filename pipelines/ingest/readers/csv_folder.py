"""A package folder: one RFC 4180 CSV file per table, read with the C csv module."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pipelines.contract import load_contract
from pipelines.findings import Finding, finding
from pipelines.ingest.readers.safety import (
    Entry,
    PackageRejected,
    limits,
    problem,
    read_regular,
    reject,
    too_big,
    walk,
)
from pipelines.ingest.readers.table_frame import SPACES, RawTable, has_header, is_blank, picker, plan_header
from pipelines.ingest.readers.text import decode

# A field can never be longer than the package itself; the module default (128 KiB) would make a long
# but legitimate cell an error.
csv.field_size_limit(max(csv.field_size_limit(), load_contract().limits["package_bytes"]))


def table_files(folder: Path, findings: list[Finding]) -> dict[str, Entry]:
    """The folder's CSV file for each table it names, after the link, size and duplicate checks.

    Anything else in the folder (other files, sub-folders) is ignored with W05.
    """
    try:
        entries = list(walk(folder))
    except OSError as exc:
        raise reject("P01", f"The package folder could not be listed ({exc.strerror or 'error'})") from exc
    for entry in entries:
        if entry.is_link:
            raise reject("P01", f"{entry.relative} is a symbolic link", value=entry.relative)
        if not (entry.is_file or entry.is_dir):
            raise reject("P01", f"{entry.relative} is not a regular file", value=entry.relative)
    total = sum(e.size for e in entries if e.is_file)
    if total > limits()["package_bytes"]:
        raise too_big(total)

    tables = load_contract().tables
    found: dict[str, list[Entry]] = {}
    for entry in entries:
        if "/" in entry.relative:
            continue  # inside a sub-folder: the sub-folder itself gets the W05
        stem, dot, ext = entry.relative.rpartition(".")
        name = stem.strip().lower()
        if entry.is_file and dot and ext.lower() == "csv" and name in tables:
            found.setdefault(name, []).append(entry)
        else:
            findings.append(finding("W05", value=entry.relative + ("/" if entry.is_dir else "")))
    chosen: dict[str, Entry] = {}
    for name, files in found.items():
        if len(files) > 1:
            listed = " and ".join(f.relative for f in files)
            findings.append(problem("P01", f"{listed} both name the {name} table", table=name, value=listed))
        else:
            chosen[name] = files[0]
    return chosen


def read_table(entry: Entry, table: str, findings: list[Finding]) -> RawTable | None:
    """One CSV file as records with the grantee's row numbers; None when it has no header line."""
    data = read_regular(
        entry.path, entry.relative, limits()["package_bytes"]
    )  # link or device: whole package
    text, notes = decode(data, entry.relative, table)
    findings.extend(notes)
    # strict: a quoted field left open at the end (a truncated file) or text after a closing quote is not
    # RFC 4180 CSV, so the table is unreadable (P01) rather than silently read some other way.
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(records, None)
        if header is None or not has_header(header):
            return None
        return _records(records, header, table)
    except csv.Error as exc:
        raise reject(
            "P01", f"{entry.relative} could not be read as CSV ({exc})", table=table, value=entry.relative
        ) from exc


def _records(records, header: list[str], table: str) -> RawTable:
    """Data records after the header, counted against the row limit as they stream in.

    A blank line or a record whose cells are all empty is skipped but keeps its row number.
    """
    max_rows = limits()["table_rows"]
    plan = plan_header(table, header)
    raw = RawTable(plan)
    pick, width, blank = picker(plan), plan.width, plan.blank
    keep_row, keep_number = raw.rows.append, raw.row_numbers.append
    for row_number, record in enumerate(records, start=2):
        if not record or is_blank("".join(record)):
            continue  # a blank line or only empty cells (an empty field beyond the header included)
        if len(record) > width:
            extra = next((v.strip(SPACES) for v in record[width:] if not is_blank(v)), None)
            if extra is not None:
                raw.extras.append((row_number, extra))
        if len(raw.rows) >= max_rows:
            raise reject(
                "P04",
                f"The {table} table has more than {max_rows:,} rows",
                table=table,
                value=f"more than {max_rows:,} rows",
            )
        if blank:  # walk the record, not the header: a wide header must not cost per row
            raw.valued_blank.update(i for i, v in enumerate(record[:width]) if i in blank and not is_blank(v))
        keep_row(pick(record))
        keep_number(row_number)
    return raw


def read_folder(folder: Path, findings: list[Finding]) -> dict[str, RawTable]:
    files = table_files(folder, findings)
    tables: dict[str, RawTable] = {}
    for name in load_contract().tables:
        if name not in files:
            continue
        try:
            raw = read_table(files[name], name, findings)
        except PackageRejected as exc:
            if exc.finding.table_name is None:
                raise
            findings.append(exc.finding)  # this table is unreadable; the others are still read
            continue
        if raw is not None:
            tables[name] = raw
    return tables
