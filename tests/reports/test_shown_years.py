"""The site reads, of every frame but a state's history, only the years pages show (sql/reports/shown_pairs.sql),
and the site it writes is the one written from every year of every frame: whatever years each state reported,
stopped reporting or sent only rejected packages in."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_fixture import STATES, _core_rows, status_row, write_warehouse
from test_incremental_site import RECORDS, _content, _files, frozen_clock  # noqa: F401 (fixture)

from pipelines.reports.data import FRAMES, HISTORY_FRAMES, Landscape, read_landscape
from pipelines.reports.packages_csv import Identity, WarehousePackages
from pipelines.reports.site import render_site
from pipelines.sql import load_sql

YEARS = [f"FY{year}" for year in range(2019, 2026)]
TEMPLATE_YEAR = "FY2024"
HISTORY_MARTS = ("state_summary", "submission_status")
DETAIL_FRAMES = [name for name in FRAMES if name not in (*HISTORY_FRAMES, "dim_state")]


def _history(accepted: dict[str, list[str]], rejected_only: dict[str, list[str]]) -> dict[str, list[dict]]:
    """The fixture's rows of TEMPLATE_YEAR, copied into each year a state reported accepted packages in, and a
    not-reported status row for each year it sent nothing accepted."""
    template = _core_rows(random.Random(7))
    rows: dict[str, list[dict]] = {name: [] for name in template}
    for name, table in template.items():
        for row in table:
            if row["period"] != TEMPLATE_YEAR:
                continue
            for year in accepted.get(row["state"], []):
                rows[name].append({**row, "period": year})
    for state, years in rejected_only.items():
        for year in years:
            rows["status"].append(status_row(f"{state}-G900", state, year, f"{state} Late Network"))
    return rows


def _read_every_year(path: Path) -> Landscape:
    """Every report query over every (state, period) pair: what the site would read without shown_pairs."""
    source = Identity.of(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        every_pair = pl.concat(
            [con.table(f"marts.{mart}").select("state, period").pl() for mart in HISTORY_MARTS]
        ).unique()
        con.register("reported_pairs", every_pair)
        con.register("shown_pairs", every_pair)
        return Landscape.from_frames(
            packages=WarehousePackages.read(con, path, source),
            **{name: con.execute(load_sql(f"reports/{name}")).pl() for name in FRAMES},
        )
    finally:
        con.close()


def _expected_pairs(accepted: dict[str, list[str]], rejected_only: dict[str, list[str]]) -> set[tuple]:
    """Each state's latest two years of reporting, accepted or not."""
    pairs = set()
    for state in STATES:
        years = sorted({*accepted.get(state, []), *rejected_only.get(state, [])})
        pairs |= {(state, year) for year in years[-2:]}
    return pairs


def _pairs(frame: pl.DataFrame) -> set[tuple]:
    return set(frame.select("state", "period").unique().iter_rows())


year_sets = st.lists(st.sampled_from(YEARS), unique=True, max_size=len(YEARS))
some_years = st.lists(st.sampled_from(YEARS), unique=True, min_size=1, max_size=len(YEARS))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # NY reports at least once: the fixture's warehouse needs rows in every table.
    accepted=st.fixed_dictionaries({state: some_years if state == "NY" else year_sets for state in STATES}),
    rejected=st.fixed_dictionaries({state: year_sets for state in STATES}),
)
def test_detail_frames_hold_only_each_states_latest_two_years(tmp_path_factory, accepted, rejected):
    rejected_only = {s: [y for y in years if y not in accepted[s]] for s, years in rejected.items()}
    path = write_warehouse(
        tmp_path_factory.mktemp("shown") / "w.duckdb", _history(accepted, rejected_only)
    ).path
    land, every_year = read_landscape(path), _read_every_year(path)
    expected = _expected_pairs(accepted, rejected_only)
    assert set(land._page_periods().iter_rows()) == expected
    shown = land._page_periods()
    for name in DETAIL_FRAMES:
        frame, whole = getattr(land, name), getattr(every_year, name)
        assert _pairs(frame) <= expected, name
        assert frame.equals(whole.join(shown, on=["state", "period"], how="semi", maintain_order="left")), (
            name
        )
    for name in (*HISTORY_FRAMES, "dim_state"):
        assert getattr(land, name).equals(getattr(every_year, name)), name


def test_the_site_read_by_shown_years_is_the_site_of_every_year(tmp_path, frozen_clock):  # noqa: F811
    # A skewed history: NY every year, CT stopped two years ago, VT reported once long ago and only rejected
    # packages since, RI a gap, PR only the latest year.
    accepted = {
        "NY": YEARS,
        "CT": YEARS[:-2],
        "VT": YEARS[:1],
        "RI": [YEARS[0], YEARS[3], YEARS[-1]],
        "PR": YEARS[-1:],
    }
    rejected_only = {"VT": YEARS[4:], "CT": YEARS[-1:]}
    path = write_warehouse(tmp_path / "w.duckdb", _history(accepted, rejected_only)).path
    land = read_landscape(path)
    assert land.grantee_programs.height < _read_every_year(path).grantee_programs.height
    shown = render_site(land, tmp_path / "shown", run_id="r")
    whole = render_site(_read_every_year(path), tmp_path / "whole", run_id="r")
    assert sorted(shown.states) == sorted(whole.states) == sorted(STATES)
    a, b = _files(tmp_path / "shown"), _files(tmp_path / "whole")
    assert a.keys() == b.keys()
    # _content compares the workbooks without their creation time.
    assert [n for n in a if n not in RECORDS and _content(a[n]) != _content(b[n])] == []
