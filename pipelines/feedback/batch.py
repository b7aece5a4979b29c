"""Feedback files for a whole batch of package versions in one pass.

Writing each version alone paid a Polars sort, cast, neutralise and CSV write per version (a few ms, nearly
all of it fixed cost on a frame of a few rows, most versions having no findings at all). Here the batch's
findings are ordered, cast and neutralised once, written as one CSV and cut per version; the files are the
same bytes as write_feedback's (tests/feedback/test_batch.py holds the two writers to that).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

import polars as pl

from pipelines.feedback.writer import priority_order, render_rows, write_files
from pipelines.findings import FINDING_SCHEMA
from pipelines.published_text import neutralise_frame

BATCH_KEY = "__feedback_key"  # which target a finding belongs to: the key of that target
BATCH_SCHEMA: dict[str, pl.DataType] = {BATCH_KEY: pl.Utf8, **FINDING_SCHEMA}


def keyed_findings(findings: pl.DataFrame, key: pl.Expr) -> pl.DataFrame:
    """`findings` (FINDING_SCHEMA columns, any others dropped) with BATCH_KEY computed by `key`, typed."""
    return findings.select(key.alias(BATCH_KEY), *FINDING_SCHEMA).cast(BATCH_SCHEMA)


def csv_records(text: bytes) -> list[bytes]:
    """A CSV's records (the header first), each with its newline.

    A newline ends a record only outside quotes. A quoted field doubles the quotes inside it, so the count of
    quotes since the record began is even exactly when a newline is outside every field."""
    records: list[bytes] = []
    start = scanned = quotes = 0
    position = text.find(b"\n")
    while position != -1:
        quotes += text.count(b'"', scanned, position)
        scanned = position + 1
        if quotes % 2 == 0:
            records.append(text[start:scanned])
            start, quotes = scanned, 0
        position = text.find(b"\n", scanned)
    if start != len(text):
        raise ValueError("CSV text does not end with a whole record")
    return records


def write_feedback_batch(targets: Iterable[tuple[Path, dict, str]], findings: pl.DataFrame) -> list[Path]:
    """findings.html and findings.csv for every (folder, package, key) target; returns the paths written.

    `findings` holds every target's findings (BATCH_SCHEMA, see keyed_findings), BATCH_KEY naming the key of
    the target they belong to; a target whose key has none gets the files of a version without findings."""
    columns = list(FINDING_SCHEMA)
    # Sorted on the key first: the sort is stable, so each target's rows are contiguous and in the order
    # priority_order gives them alone.
    ordered = priority_order(findings.select(list(BATCH_SCHEMA)).cast(BATCH_SCHEMA), within=(BATCH_KEY,))
    spans: dict[str, tuple[int, int]] = {}
    start = 0
    for key, members in groupby(ordered.get_column(BATCH_KEY).to_list()):
        end = start + sum(1 for _ in members)
        spans[key] = (start, end)
        start = end
    findings = ordered.select(columns)
    rows = findings.rows(named=True)
    # One CSV for the batch, cut into records: a record's text depends only on its own values.
    header, *records = csv_records(neutralise_frame(findings).write_csv().encode("utf-8"))
    if len(records) != len(rows):
        raise ValueError(f"the batch CSV has {len(records)} records for {len(rows)} findings")
    written: list[Path] = []
    made: set[Path] = set()
    for folder, package, key in targets:
        start, end = spans.get(key, (0, 0))
        html = render_rows(package, rows[start:end]).encode("utf-8")
        _make_folder(folder, made)
        written.extend(write_files(folder, html, header + b"".join(records[start:end]), make_dir=False))
    return written


def _make_folder(folder: Path, made: set[Path]) -> None:
    # Versions share their grantee's folder: making it once, not once per version, saves the failed
    # mkdir calls of mkdir(parents=True) on a fresh tree.
    if folder.parent not in made:
        folder.parent.mkdir(parents=True, exist_ok=True)
        made.add(folder.parent)
    folder.mkdir(exist_ok=True)
