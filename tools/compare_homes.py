"""Compare two LANDSCAPE_HOME folders built from the same landing data: exit 0 when every output agrees.

Used to show that a refactor or a speed-up leaves `make demo`'s outputs unchanged:

    LANDSCAPE_HOME=/tmp/before landscape demo   # on the old commit
    LANDSCAPE_HOME=/tmp/after  landscape demo   # on the new one
    python tools/compare_homes.py /tmp/before /tmp/after

DuckDB files and Parquet are compared table by table (rows sorted), workbooks cell by cell, every other file
byte by byte after masking what legitimately differs between two runs: the home's own path, timestamps,
run ids and commit hashes. Dagster's intermediate pickles, logs and lock files are not outputs and are skipped.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
from openpyxl import load_workbook

from pipelines.sql import load_sql

SKIPPED_PARTS = {"intermediate", "logs"}
SKIPPED_SUFFIXES = {".lock", ".wal", ".tmp"}
SKIPPED_NAMES = {
    "marts-state.json",  # fingerprints of what the marts were built from, received times included
    "marts-partitions.parquet",  # the partitions' fingerprints beside it, received times included
    "marts-periods.parquet",  # each mart's fingerprint per period beside it, received times included
    "analyst-copy-fingerprints.parquet",  # what the analysts' copy holds, naming its files by inode and time
    "analyst-spare-fingerprints.parquet",  # the same for the spare
    ".render-manifest.json",  # hashes of the site's files as written: a workbook's include its creation time
    ".audit-verdicts.json",
    "packages-parts.json",  # the parts of the site's packages.csv, naming their files by inode and time  # keyed by a hash of the audit's code: differs between versions of that code
}
VOLATILE = [
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z| UTC)?"), "<TIME>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<RUN>"),
    (re.compile(r"(?<![0-9a-f])([0-9a-f]{12}|[0-9a-f]{40})(?![0-9a-f])"), "<COMMIT>"),
    (re.compile(r"\b\d+(\.\d+)? ?(s|ms|seconds)\b"), "<DURATION>"),
]


def masked(text: str, home: Path) -> str:
    text = text.replace(str(home.resolve()), "<HOME>").replace(str(home), "<HOME>")
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def output_files(home: Path) -> set[Path]:
    files = set()
    for path in home.rglob("*"):
        relative = path.relative_to(home)
        if (
            path.is_file()
            and not SKIPPED_PARTS & set(relative.parts)
            and path.suffix not in SKIPPED_SUFFIXES
            and path.name not in SKIPPED_NAMES
        ):
            files.add(relative)
    return files


def _shown(value) -> str:
    return str(value) if isinstance(value, date | datetime) else repr(value)


def _rows(relation: duckdb.DuckDBPyRelation, home: Path) -> list[tuple]:
    rows = relation.fetchall()
    return sorted((tuple(masked(_shown(v), home) for v in row) for row in rows), key=repr)


def duckdb_tables(path: Path, home: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = con.execute(load_sql("tools/home_tables")).fetchall()
        return {f"{s}.{t}": _rows(con.table(f'"{s}"."{t}"'), home) for s, t in names}
    finally:
        con.close()


def parquet_rows(path: Path, home: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect()
    try:
        return {"rows": _rows(con.read_parquet(str(path)), home)}
    finally:
        con.close()


def workbook_cells(path: Path, home: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path, read_only=True, data_only=False)
    try:
        return {
            sheet.title: [
                tuple(masked(_shown(v), home) for v in row) for row in sheet.iter_rows(values_only=True)
            ]
            for sheet in book.worksheets
        }
    finally:
        book.close()


def differences(relative: Path, home_a: Path, home_b: Path) -> list[str]:
    a, b = home_a / relative, home_b / relative
    suffix = relative.suffix
    if suffix in {".duckdb", ".parquet", ".xlsx"}:
        read = {".duckdb": duckdb_tables, ".parquet": parquet_rows, ".xlsx": workbook_cells}[suffix]
        parts_a, parts_b = read(a, home_a), read(b, home_b)
        found = [f"{relative}: only in A: {name}" for name in sorted(parts_a.keys() - parts_b.keys())]
        found += [f"{relative}: only in B: {name}" for name in sorted(parts_b.keys() - parts_a.keys())]
        for name in sorted(parts_a.keys() & parts_b.keys()):
            if parts_a[name] != parts_b[name]:
                only_a = [r for r in parts_a[name] if r not in parts_b[name]][:2]
                only_b = [r for r in parts_b[name] if r not in parts_a[name]][:2]
                found.append(f"{relative}: {name} differs; A has {only_a} B has {only_b}")
        return found
    bytes_a, bytes_b = a.read_bytes(), b.read_bytes()
    if bytes_a == bytes_b:
        return []
    try:
        text_a, text_b = masked(bytes_a.decode(), home_a), masked(bytes_b.decode(), home_b)
    except UnicodeDecodeError:
        return [f"{relative}: binary content differs"]
    if text_a == text_b:
        return []
    lines_a, lines_b = text_a.splitlines(), text_b.splitlines()
    for number, (line_a, line_b) in enumerate(zip(lines_a, lines_b, strict=False), start=1):
        if line_a != line_b:
            return [f"{relative}:{number}: A {line_a[:160]!r} B {line_b[:160]!r}"]
    return [f"{relative}: A has {len(lines_a)} lines, B has {len(lines_b)}"]


def compare(home_a: Path, home_b: Path) -> list[str]:
    files_a, files_b = output_files(home_a), output_files(home_b)
    found = [f"only in A: {p}" for p in sorted(files_a - files_b)]
    found += [f"only in B: {p}" for p in sorted(files_b - files_a)]
    for relative in sorted(files_a & files_b):
        found += differences(relative, home_a, home_b)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home_a", type=Path)
    parser.add_argument("home_b", type=Path)
    args = parser.parse_args(argv)
    found = compare(args.home_a, args.home_b)
    for line in found:
        print(line)
    compared = len(output_files(args.home_a) & output_files(args.home_b))
    print(f"{compared} files compared, {len(found)} difference(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
