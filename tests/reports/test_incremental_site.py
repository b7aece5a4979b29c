"""A site brought up to date after one state's resubmission is the site a render from scratch writes, and only
the pages whose content changed are written again; everything else is taken over from the live site."""

from __future__ import annotations

import json
import random
import re
import shutil
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from report_fixture import _core_rows, write_warehouse

from pipelines.reports import site as site_module
from pipelines.reports.data import FRAMES, read_landscape
from pipelines.reports.packages_csv import PARTS_INDEX
from pipelines.reports.page_inputs import state_scope
from pipelines.reports.pages import PageBuilder
from pipelines.reports.reuse import MANIFEST_NAME, file_hash
from pipelines.reports.site import build_site, protected_counts
from pipelines.reports.suppression import SmallCellRule, Suppressed

CHANGED_STATE, LATEST = "NY", "FY2025"
# The render's records of what it wrote, not content: the manifest (the workbooks' hashes, creation time
# included) and the index of packages.csv's parts (their files' inodes and modification times).
RECORDS = {MANIFEST_NAME, PARTS_INDEX.as_posix()}


def _rows(change_one_state: bool) -> dict[str, list[dict]]:
    rows = _core_rows(random.Random(7))
    if change_one_state:  # one grantee resubmits: one program served more people, and more funding
        program = next(r for r in rows["programs"] if (r["state"], r["period"]) == (CHANGED_STATE, LATEST))
        program["participants_served"] += 37
        funding = next(r for r in rows["funding"] if (r["state"], r["period"]) == (CHANGED_STATE, LATEST))
        funding["amount_usd"] += 12_000.0
    return rows


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("incremental")
    before = write_warehouse(folder / "before.duckdb", _rows(False)).path
    after = write_warehouse(folder / "after.duckdb", _rows(True)).path
    return before, after


class _Clock(datetime):
    """Every render of a test in the same second: the footer names the time a site was generated."""

    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def frozen_clock(monkeypatch):
    monkeypatch.setattr(site_module, "datetime", _Clock)


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def _content(path: Path):
    """A file's bytes; a workbook's parts less the creation time openpyxl stamps into docProps/core.xml."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def _page_keys_that_differ(a: Path, b: Path) -> set[str]:
    """Report pages whose HTML differs between two sites of the same run."""
    names = {n for n in _files(a) if n == "index.html" or n.startswith("states/")}
    differ = {n for n in names if (a / n).read_bytes() != (b / n).read_bytes()}
    return {"US" if n == "index.html" else Path(n).stem for n in differ}


def test_a_one_state_change_rewrites_only_what_changed(warehouses, tmp_path, frozen_clock):
    before, after = warehouses
    live = tmp_path / "live" / "reports"
    build_site(before, live, run_id="run-2")
    inodes = {name: path.stat().st_ino for name, path in _files(live).items()}
    scratch_before = tmp_path / "scratch-before" / "reports"
    build_site(before, scratch_before, run_id="run-2")

    result = build_site(after, live, run_id="run-2")
    scratch = tmp_path / "scratch" / "reports"
    fresh = build_site(after, scratch, run_id="run-2")

    # The same site as a render from scratch: every page, CSV and workbook (the manifest lists file hashes,
    # and a workbook's hash includes its creation time).
    got, want = _files(live), _files(scratch)
    assert set(got) == set(want)
    assert [n for n in sorted(want) if n not in RECORDS and _content(got[n]) != _content(want[n])] == []
    assert fresh.reused == []

    # Written again: exactly the pages whose content changed (the state, the nation, and any page where the
    # joint suppression moved); every other page's downloads are the very files the first render wrote.
    changed = _page_keys_that_differ(scratch_before, scratch)
    assert {CHANGED_STATE, "US"} <= changed
    assert set(result.rendered) == changed, (result.rendered, changed)
    assert set(result.reused) == set(fresh.rendered) - changed and result.reused
    for key in result.reused:
        workbook = f"downloads/{key}.xlsx"
        assert got[workbook].stat().st_ino == inodes[workbook], key
    for key in result.rendered:
        assert got[f"downloads/{key}.xlsx"].stat().st_ino != inodes[f"downloads/{key}.xlsx"], key


def test_a_new_run_restamps_the_pages_it_takes_over(warehouses, tmp_path):
    _, after = warehouses
    live, scratch = tmp_path / "live", tmp_path / "scratch"
    build_site(after, live, run_id="first-run")
    result = build_site(after, live, run_id="second-run")
    build_site(after, scratch, run_id="second-run")
    assert result.rendered == [] and len(result.reused) == len(result.states) + 1
    for name in ["index.html", *(f"states/{s}.html" for s in result.states)]:
        text = (live / name).read_text(encoding="utf-8")
        assert "second-run" in text and "first-run" not in text
        # the clock runs between renders: mask the time the footer names before comparing
        assert _masked(text) == _masked((scratch / name).read_text(encoding="utf-8")), name


def _masked(text: str) -> str:
    return re.sub(r'Generated: <time datetime="[^"]*">[^<]*</time>', "Generated: <time/>", text)


def test_a_file_changed_in_the_live_site_is_written_again(warehouses, tmp_path):
    _, after = warehouses
    live = tmp_path / "reports"
    build_site(after, live, run_id="a")
    tampered = live / "downloads" / "VT" / "counties.csv"
    tampered.write_text(tampered.read_text(encoding="utf-8") + "extra,row\n", encoding="utf-8")
    result = build_site(after, live, run_id="b")
    assert result.rendered == ["VT"]
    assert "extra,row" not in tampered.read_text(encoding="utf-8")


def test_without_a_manifest_every_page_is_rendered(warehouses, tmp_path):
    _, after = warehouses
    live = tmp_path / "reports"
    first = build_site(after, live, run_id="a")
    (live / MANIFEST_NAME).unlink()
    shutil.copy(live / "index.html", tmp_path / "index.html")
    result = build_site(after, live, run_id="b")
    assert result.reused == [] and result.rendered == first.rendered


def test_a_state_page_whose_inputs_are_unchanged_is_not_built(
    warehouses, tmp_path, frozen_clock, monkeypatch
):
    before, after = warehouses
    live = tmp_path / "live" / "reports"
    build_site(before, live, run_id="run-2")
    built: list[str] = []
    real_state = PageBuilder.state

    def counting_state(self, state):
        built.append(state)
        return real_state(self, state)

    monkeypatch.setattr(PageBuilder, "state", counting_state)
    result = build_site(after, live, run_id="run-2")
    first, states = result.states[0], result.states
    # Built: the first state page (the methodology lists its tables) and the pages whose inputs changed, at
    # least the resubmitting state; every other state page is taken over without being built.
    assert first in built and CHANGED_STATE in built
    assert set(built) - {first} == set(result.rendered) - {"US"}, (built, result.rendered)
    assert len(built) < len(states), built
    assert set(result.reused) == set(states) - set(result.rendered) - {"US"}
    # ... and the site is the one a render from scratch writes.
    scratch = tmp_path / "scratch" / "reports"
    build_site(after, scratch, run_id="run-2")
    got, want = _files(live), _files(scratch)
    assert set(got) == set(want)
    assert [n for n in sorted(want) if n not in RECORDS and _content(got[n]) != _content(want[n])] == []


def test_a_state_page_asks_only_for_the_counts_its_fingerprint_covers(warehouses):
    """page_inputs.py fingerprints a state page's counts as the cells naming the state at index 3: the page
    must read no other (a national cell read by a state page would leave the page stale when only it moved)."""
    _, after = warehouses
    land = read_landscape(after)
    counts, _ = protected_counts(land, SmallCellRule.from_contract())
    asked: list = []

    class Recording(Suppressed):
        def get(self, key):
            asked.append(key)
            return super().get(key)

        def __getitem__(self, key):
            asked.append(key)
            return super().__getitem__(key)

    builder = PageBuilder(land, Recording(counts.cells, counts.primary, counts.complementary))
    for state in land.states:
        asked.clear()
        builder.state(state)
        assert asked, state
        assert {state_scope(key) for key in asked} == {state}, (state, asked[:5])


def test_a_forged_file_list_is_not_taken_over(warehouses, tmp_path):
    _, after = warehouses
    live = tmp_path / "reports"
    build_site(after, live, run_id="a")
    manifest = json.loads((live / MANIFEST_NAME).read_text(encoding="utf-8"))
    outside = tmp_path / "outside.csv"
    outside.write_text("secret\n", encoding="utf-8")
    manifest["pages"]["VT"]["files"]["../outside.csv"] = file_hash(outside)
    (live / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    result = build_site(after, live, run_id="b")
    assert result.rendered == ["VT"]
    rewritten = json.loads((live / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert "../outside.csv" not in rewritten["pages"]["VT"]["files"]


def test_a_state_page_needs_only_its_latest_years_of_the_detail_frames(warehouses):
    """Landscape.of_state gives a state page every fiscal year of HISTORY_FRAMES only, and of every other frame
    its last two years: the page is the one built from all of the state's rows."""
    _, after = warehouses
    land = read_landscape(after)
    # Three earlier fiscal years, copies of the first: a history a page shows only in part.
    first = land.periods[0]
    land = replace(
        land,
        **{
            name: pl.concat(
                [
                    *(
                        getattr(land, name)
                        .filter(pl.col("period") == first)
                        .with_columns(pl.lit(f"FY{year}").alias("period"))
                        for year in (2001, 2002, 2003)
                    ),
                    getattr(land, name),
                ]
            )
            for name in FRAMES
            if name not in ("dim_state", "package_counts")  # package counts: every year's, summed
        },
    )
    counts, _ = protected_counts(land, SmallCellRule.from_contract())
    builder = PageBuilder(land, counts)
    narrowed = sum(builder.by_state[s].county_mix.height for s in land.states)
    assert narrowed < land.county_mix.height  # the earlier years' rows were left out
    for state in land.states:
        whole = {
            name: getattr(land, name).filter(pl.col("state") == state)
            for name in FRAMES
            if name != "dim_state"
        }
        builder.by_state[state] = replace(land, **whole)
        full = builder.state(state)
        builder.by_state = PageBuilder(land, counts).by_state
        assert repr(builder.state(state)) == repr(full), state
