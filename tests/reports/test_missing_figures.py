"""Property: whatever the marts hold (NULL, NaN, 0, empty frames, a territory without population, a state
with no accepted package, one state in a period), the report builder writes a complete site whose links
resolve, shows every missing figure as a dash with a footnote saying why, and keeps totals right."""

from __future__ import annotations

import csv
import json
import re
import tempfile
from datetime import datetime
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from link_checker import broken_links
from small_cell_checker import read_html_tables

from pipelines.contract import load_contract
from pipelines.paths import REFERENCE_DIR
from pipelines.reports.data import Landscape
from pipelines.reports.site import render_site
from pipelines.reports.tables import NO_VALUE

PERIODS = ["FY2024", "FY2025"]
STATES = ["AL", "CT", "DC", "NY", "PR", "WY"]
NAN = float("nan")
measure = st.one_of(st.none(), st.just(NAN), st.just(0), st.integers(1, 40), st.integers(41, 5000))
money = st.one_of(st.none(), st.just(NAN), st.just(0.0), st.floats(1, 5e6, allow_nan=False))
maybe_bool = st.sampled_from([True, False, None])
VISIBLE_JUNK = re.compile(r">[^<]*\b(nan|NaN|None|<NA>|inf)\b")


def _reference(name: str) -> list[dict]:
    with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


REFERENCE_STATES = {r["state"]: r for r in _reference("states.csv")}
COUNTIES = {}
for _row in _reference("counties.csv"):
    COUNTIES.setdefault(_row["state"], []).append(_row)


TEXT = {
    "state", "period", "state_name", "hhs_region", "census_region", "census_division", "program_type",
    "funding_source", "funding_category", "role", "measure", "county_fips", "county_name", "urbanicity",
    "grantee_id", "organization_name", "peer_run_class", "program_id", "program_name", "program_county_fips",
    "program_county_name", "setting", "sha256", "status", "latest_status",
}  # fmt: skip
FLAGS = {"independent", "autonomous", "accountable", "consumer_governed", "peer_staffed"}
TIMES = {"received_at", "latest_received_at"}


def _dtype(column: str) -> pl.DataType:
    if column in TEXT:
        return pl.String
    if column in FLAGS:
        return pl.Boolean
    return pl.Datetime("us") if column in TIMES else pl.Float64


def _frame(rows: list[dict], columns: list[str]) -> pl.DataFrame:
    """Numbers as floats that may hold NaN as well as nulls (the landscape reads NaN as missing)."""
    schema = {c: _dtype(c) for c in columns}
    return pl.DataFrame(
        [[r.get(c) for c in columns] for r in rows], schema=schema, orient="row", strict=False
    )


@st.composite
def landscapes(draw) -> Landscape:
    contract = load_contract()
    codes = {
        name: contract.code_values(name) for name in ("program_type", "funding_source", "role", "measure")
    }
    category = {c.code: c.category for c in contract.codes["funding_source"]}
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(STATES), st.sampled_from(PERIODS)), max_size=6, unique=True)
    )
    dim_state = []
    for code, ref in REFERENCE_STATES.items():
        population = draw(st.one_of(st.none(), st.just(0), st.integers(500_000, 40_000_000)))
        dim_state.append(
            dict(
                state=code,
                state_name=ref["state_name"],
                hhs_region=ref["hhs_region"],
                census_region=ref["census_region"] or None,
                census_division=ref["census_division"] or None,
                population=None if code == "PR" else population,
            )
        )
    frames: dict[str, list[dict]] = {k: [] for k in ("summary", "types", "funding", "work", "out", "county")}
    grantees, packages, status, groups = [], [], [], []
    for state, period in pairs:
        key = dict(state=state, period=period)
        frames["summary"].append(
            dict(
                **key,
                state_name=REFERENCE_STATES[state]["state_name"],
                grantees=draw(measure),
                peer_run=draw(measure),
                peer_partnered=draw(measure),
                other_class=draw(measure),
                programs=draw(measure),
                participants_served=draw(measure),
                funding_usd=draw(money),
                peer_staff_headcount=draw(measure),
                lived_experience_staff=draw(measure),
                certified_peer_specialists=draw(measure),
                population=next(r["population"] for r in dim_state if r["state"] == state),
                hhs_region=REFERENCE_STATES[state]["hhs_region"],
                census_region=REFERENCE_STATES[state]["census_region"] or None,
            )
        )
        for code in draw(st.lists(st.sampled_from(codes["program_type"]), max_size=3, unique=True)):
            frames["types"].append(
                dict(**key, program_type=code, programs=draw(measure), grantees=draw(measure),
                     participants_served=draw(measure))
            )  # fmt: skip
        for code in draw(st.lists(st.sampled_from(codes["funding_source"]), max_size=3, unique=True)):
            frames["funding"].append(
                dict(**key, funding_source=code, funding_category=category[code], grantees=draw(measure),
                     amount_usd=draw(money))
            )  # fmt: skip
        for code in draw(st.lists(st.sampled_from(codes["role"]), max_size=3, unique=True)):
            frames["work"].append(
                dict(**key, role=code, headcount=draw(measure), lived_experience_count=draw(measure),
                     certified_count=draw(measure), fte=draw(money))
            )  # fmt: skip
        for code in draw(st.lists(st.sampled_from(codes["measure"]), max_size=2, unique=True)):
            frames["out"].append(dict(**key, measure=code, respondents=draw(measure), improved=draw(measure)))
        for county in draw(
            st.lists(st.sampled_from(COUNTIES[state]), max_size=2, unique_by=lambda c: c["county_fips"])
        ):
            frames["county"].append(
                dict(**key, county_fips=county["county_fips"], county_name=county["county_name"],
                     urbanicity=draw(st.sampled_from([county["urbanicity"], None])), programs=draw(measure),
                     grantees=draw(measure), participants_served=draw(measure))
            )  # fmt: skip
            groups.append(
                dict(**key, county_fips=county["county_fips"], program_type=codes["program_type"][0],
                     programs=1, participants_served=draw(measure))
            )  # fmt: skip
        gid = f"{state}-A1"
        grantees.append(
            dict(**key, grantee_id=gid, organization_name=f"{state} peers",
                 peer_run_class=draw(st.sampled_from(["peer_run", "peer_partnered", "other", None])),
                 independent=draw(maybe_bool), autonomous=draw(maybe_bool), accountable=draw(maybe_bool),
                 consumer_governed=draw(maybe_bool), peer_staffed=draw(maybe_bool),
                 program_id=draw(st.sampled_from(["P1", None])), program_name=None, program_type=None,
                 program_county_fips=None, program_county_name=None, setting=None)
        )  # fmt: skip
        packages.append(
            dict(**key, grantee_id=gid, version=1, sha256="0" * 64, received_at=datetime(2025, 10, 1))
        )
    # Status rows may name states and periods with no accepted package at all.
    for state, period in draw(
        st.lists(st.tuples(st.sampled_from(STATES), st.sampled_from(PERIODS)), max_size=3, unique=True)
    ):
        status.append(
            dict(state=state, period=period, grantee_id=f"{state}-R9", organization_name=None,
                 status=draw(st.sampled_from(["accepted", "rejected", "not_reported", "not_on_roster"])),
                 error_count=draw(measure), latest_version=draw(measure), latest_received_at=None,
                 current_version=draw(measure), latest_status=draw(st.sampled_from(["duplicate", "rejected", None])),
                 latest_duplicate_of=draw(measure))
        )  # fmt: skip
    # Every year a state reported in, as sql/reports/shown_pairs.sql gathers them: summary or status rows.
    reported = sorted({(r["state"], r["period"]) for r in [*frames["summary"], *status]})
    return Landscape.from_frames(
        reported=pl.DataFrame(reported, schema={"state": pl.String, "period": pl.String}, orient="row"),
        state_summary=_frame(frames["summary"], list(frames["summary"][0]) if pairs else ["state", "period",
                             "state_name", "grantees", "peer_run", "programs", "participants_served",
                             "funding_usd", "population", "hhs_region"]),
        programs_by_type=_frame(frames["types"], ["state", "period", "program_type", "programs", "grantees",
                                "participants_served"]),
        funding_by_source=_frame(frames["funding"], ["state", "period", "funding_source", "funding_category",
                                 "grantees", "amount_usd"]),
        workforce_summary=_frame(frames["work"], ["state", "period", "role", "headcount",
                                 "lived_experience_count", "certified_count", "fte"]),
        outcomes_summary=_frame(frames["out"], ["state", "period", "measure", "respondents", "improved"]),
        county_mix=_frame(frames["county"], ["state", "period", "county_fips", "county_name", "urbanicity",
                          "programs", "grantees", "participants_served"]),
        grantee_programs=_frame(grantees, ["grantee_id", "state", "period", "organization_name",
                                "peer_run_class", "program_id", "program_name", "program_type",
                                "program_county_fips", "program_county_name", "setting"]),
        program_groups=_frame(groups, ["state", "period", "county_fips", "program_type", "programs",
                              "participants_served"]),
        packages=_frame(packages, ["grantee_id", "state", "period", "version", "sha256", "received_at"]),
        submission_status=_frame(status, ["state", "period", "grantee_id", "organization_name", "status",
                                 "error_count", "latest_version", "latest_received_at", "current_version",
                                 "latest_status", "latest_duplicate_of"]),
        dim_state=_frame(dim_state, ["state", "state_name", "hhs_region", "census_region", "census_division",
                         "population"]),
    )  # fmt: skip


def _no_nan(text: str) -> list:
    def refuse(constant):
        raise ValueError(f"{constant} in chart data")

    return json.loads(text, parse_constant=refuse)


def _assert_complete(land: Landscape, out: Path) -> None:
    assert (out / "index.html").is_file() and (out / "methodology.html").is_file()
    assert sorted(p.stem for p in (out / "states").glob("*.html")) == land.states
    if land.periods:
        for key in ["US", *land.states]:
            assert (out / "downloads" / f"{key}.xlsx").is_file(), key
            assert (out / "downloads" / key / "headline.csv").is_file(), key
    assert broken_links(out) == []
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        visible = re.sub(r"<script.*?</script>", "", text, flags=re.S)
        assert not VISIBLE_JUNK.search(visible), (page.name, VISIBLE_JUNK.search(visible).group(0))
        for block in re.findall(
            r'<script type="application/json" id="chart-data">(.*?)</script>', text, re.S
        ):
            _no_nan(block)
        for table in read_html_tables(page):
            cells = [c for row in table.body + ([table.total] if table.total else []) for c in row]
            if NO_VALUE in cells:
                assert f'<p class="note footnote">{NO_VALUE} ' in text, (page.name, table.slug)


def _assert_state_totals(land: Landscape, out: Path) -> None:
    if not land.periods:
        return
    table = next(t for t in read_html_tables(out / "index.html") if t.slug == "states")
    column = table.header.index("grantees")
    listed = sum(int(row[column].replace(",", "")) for row in table.body)
    assert int(table.total[column].replace(",", "")) == listed
    names = [row[0] for row in table.body]
    assert names == sorted(names)


@settings(
    max_examples=30,
    deadline=None,
    # Shrinking a whole warehouse takes minutes; the unshrunk failing example is printed as it is.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(landscapes())
def test_any_marts_give_a_complete_site(land):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        render_site(land, out, run_id="property")
        _assert_complete(land, out)
        _assert_state_totals(land, out)


def test_a_failed_render_leaves_the_previous_site_in_place(fixture_warehouse, tmp_path, monkeypatch):
    from pipelines.reports import site as site_module
    from pipelines.reports.data import read_landscape

    out = tmp_path / "reports"
    land = read_landscape(fixture_warehouse.path)
    render_site(land, out, run_id="first")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("renderer broke half-way")

    monkeypatch.setattr(site_module.PageBuilder, "state", broken)
    try:
        render_site(land, out, run_id="second")
    except RuntimeError:
        pass
    else:  # pragma: no cover - the patched builder always raises
        raise AssertionError("the render should have failed")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["reports"]  # no half-written folder left beside it
    monkeypatch.undo()
    render_site(land, out, run_id="third")
    assert "third" in (out / "index.html").read_text(encoding="utf-8")


def test_the_site_refuses_to_replace_a_folder_that_is_not_a_site(fixture_warehouse, tmp_path):
    from pipelines.reports.data import read_landscape

    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    try:
        render_site(read_landscape(fixture_warehouse.path), tmp_path, run_id="x")
    except ValueError as exc:
        assert "no report site" in str(exc)
    else:
        raise AssertionError("render_site should refuse")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"
