"""The batch feedback writer gives the same bytes as writing each version alone."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.feedback import writer
from pipelines.feedback.batch import BATCH_KEY, csv_records, keyed_findings, write_feedback_batch
from pipelines.feedback.partition_feedback import write_run_feedback
from pipelines.feedback.writer import priority_order, write_feedback
from pipelines.findings import FINDING_SCHEMA
from pipelines.intake import PartitionIntake
from pipelines.validate.model import PACKAGE_KEY
from tests.validate.helpers import valid_tables, validate_one

TABLES = [None, "organization", "programs", "funding", "workforce", "outcomes", "Sheet9", "notes.txt"]
TEXT = st.sampled_from(
    ["", "ok", "=1+1", "-5", "@x", "a,b", 'say "hi"', "two\nlines", "\tx", "<b>é</b>", "  "]
)
FINDING = st.fixed_dictionaries(
    {
        "rule_id": st.sampled_from(["P02", "F03", "W02", "S01"]),
        "severity": st.sampled_from(["error", "warning"]),
        "table_name": st.sampled_from(TABLES),
        "row_number": st.none() | st.integers(1, 40),
        "column_name": st.none() | st.sampled_from(["setting", "amount_usd", "=bad"]),
        "value": st.none() | TEXT,
        "message": st.sampled_from(
            [
                "Write it as a number.",
                "3 more F03 findings are not listed; fix the ones shown, then check the package again.",
                "=HYPERLINK(x)",
                "Use one of: a, b",
            ]
        ),
    }
)
PACKAGE = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["accepted", "rejected", "duplicate"]),
        "error_count": st.none() | st.integers(0, 3),
        "warning_count": st.integers(0, 3),
        "duplicate_of": st.none() | st.integers(1, 3),
    }
)


def _package(index: int, fields: dict) -> dict:
    return {
        "grantee_id": f"NY-{index:04d}",
        "state": "NY",
        "period": "FY2025",
        "version": 1 + index % 2,
    } | fields


def _key(package: dict) -> str:
    return f"{package['grantee_id']}|{package['period']}|{package['version']}"


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(PACKAGE, st.lists(FINDING, max_size=12)), min_size=1, max_size=6), st.randoms())
def test_batch_files_are_the_bytes_of_the_per_package_writer(versions, random):
    packages = [_package(i, fields) for i, (fields, _) in enumerate(versions)]
    rows = [
        {PACKAGE_KEY: _key(p)} | f for p, (_, found) in zip(packages, versions, strict=True) for f in found
    ]
    random.shuffle(rows)  # packages' findings interleaved, as a batch may hold them
    findings = pl.DataFrame(rows, schema={PACKAGE_KEY: pl.Utf8, **FINDING_SCHEMA})
    with tempfile.TemporaryDirectory() as tmp:
        alone, batch = Path(tmp, "alone"), Path(tmp, "batch")
        for p in packages:
            own = findings.filter(pl.col(PACKAGE_KEY) == _key(p)).drop(PACKAGE_KEY)
            write_feedback(alone / p["grantee_id"], p, own)
        targets = [(batch / p["grantee_id"], p, _key(p)) for p in packages]
        written = write_feedback_batch(targets, keyed_findings(findings, pl.col(PACKAGE_KEY)))
        assert len(written) == 2 * len(packages)
        assert _tree(batch) == _tree(alone)
        shutil.rmtree(tmp)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), FINDING), max_size=30))
def test_sorting_a_batch_by_key_first_orders_each_package_as_sorting_it_alone(rows):
    frame = pl.DataFrame(
        [{BATCH_KEY: key} | f for key, f in rows], schema={BATCH_KEY: pl.Utf8, **FINDING_SCHEMA}
    ).with_row_index("input")
    together = priority_order(frame, within=(BATCH_KEY,))
    keys = together[BATCH_KEY].to_list()
    assert keys == sorted(keys)  # each package's rows are contiguous
    for key in "abc":
        alone = priority_order(frame.filter(pl.col(BATCH_KEY) == key))
        assert together.filter(pl.col(BATCH_KEY) == key)["input"].to_list() == alone["input"].to_list()


def test_csv_records_keep_quoted_newlines_inside_their_record():
    frame = pl.DataFrame({"a": ["x\ny", '"q"\n', None, ""], "b": [1, None, 3, 4]})
    records = csv_records(frame.write_csv().encode())
    assert len(records) == 1 + frame.height
    assert records[1] == b'"x\ny",1\n' and records[2] == b'"""q""\n",\n'
    assert b"".join(records) == frame.write_csv().encode()
    with pytest.raises(ValueError):
        csv_records(b'a\n"open\n')


def test_a_run_keeps_each_partitions_findings_apart(tmp_path):
    """Two partitions with the same package key (a grantee's folder in the wrong state) do not share findings."""
    rejected = valid_tables()
    del rejected["workforce"]
    intakes = []
    for state, tables in (("NY", rejected), ("VT", valid_tables())):
        batch = validate_one(tables)
        versions = batch.packages.with_columns(pl.lit(state).alias("state"))
        intakes.append(PartitionIntake(state=state, period="FY2025", new_versions=versions, batch=batch))
    assert (
        intakes[0].batch.findings[PACKAGE_KEY][0] == intakes[1].new_versions.row(0, named=True)[PACKAGE_KEY]
    )
    write_run_feedback(tmp_path / "run", intakes)
    for intake in intakes:
        package = intake.new_versions.row(0, named=True)
        alone = tmp_path / "alone" / intake.state
        write_feedback(alone, package, intake.batch.findings)
        folder = next((tmp_path / "run" / intake.state).rglob("v*"))
        assert _tree(folder) == _tree(alone)
    ny, vt = ((tmp_path / "alone" / s / "findings.csv").read_text() for s in ("NY", "VT"))
    assert "P02" in ny and "P02" not in vt


def test_an_interrupted_write_leaves_no_partial_file_under_the_real_name(tmp_path, monkeypatch):
    batch = validate_one()
    package = batch.packages.row(0, named=True)
    real_replace = writer.os.replace

    def replace(source, target):
        if str(target).endswith("findings.csv"):
            raise KeyboardInterrupt  # the run stops between writing the CSV and renaming it
        real_replace(source, target)

    monkeypatch.setattr(writer.os, "replace", replace)
    targets = [(tmp_path / "v1", package, package[PACKAGE_KEY])]
    with pytest.raises(KeyboardInterrupt):
        write_feedback_batch(targets, keyed_findings(batch.findings, pl.col(PACKAGE_KEY)))
    assert (tmp_path / "v1" / "findings.html").read_text(encoding="utf-8").endswith("</html>")
    assert not (tmp_path / "v1" / "findings.csv").exists()
