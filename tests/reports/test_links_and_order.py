"""Links, order and the figures a territory without population gets."""

from __future__ import annotations

import json
import re

import duckdb
from link_checker import broken_links
from small_cell_checker import read_html_tables

from pipelines.contract import load_contract
from pipelines.reports.tables import NO_VALUE
from pipelines.sql import load_sql


def test_every_local_link_and_asset_of_the_site_resolves(built_site):
    assert broken_links(built_site.out_dir) == []


def test_the_link_checker_finds_a_broken_link_and_a_missing_anchor(built_site, tmp_path):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(built_site.out_dir, site)
    (site / "downloads" / "US.xlsx").unlink()
    page = site / "methodology.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("</main>", '<a href="index.html#nowhere">x</a></main>'),
        encoding="utf-8",
    )
    problems = broken_links(site)
    assert any("index.html: downloads/US.xlsx" in p for p in problems)
    assert any("#nowhere (no element with that id)" in p for p in problems)


def test_the_all_tables_workbook_link_points_at_the_workbook(built_site):
    for page, key in [("index.html", "US"), ("states/CT.html", "CT")]:
        text = (built_site.out_dir / page).read_text(encoding="utf-8")
        href = re.search(r'<a href="([^"]+)">all tables \(XLSX\)</a>', text).group(1)
        assert (built_site.out_dir / page).parent.joinpath(href).resolve() == (
            built_site.out_dir / "downloads" / f"{key}.xlsx"
        ).resolve()


def _states_table(built_site):
    tables = read_html_tables(built_site.out_dir / "index.html")
    return next(t for t in tables if t.slug == "states")


def test_states_are_listed_by_name_not_by_code(built_site):
    names = [row[0] for row in _states_table(built_site).body]
    assert names == sorted(names)
    assert names.index("Puerto Rico") > names.index("New York")  # PR sorts before RI and VT by code


def test_a_territory_without_population_shows_a_dash_and_says_why(built_site, fixture_warehouse):
    table = _states_table(built_site)
    pr = next(row for row in table.body if row[0] == "Puerto Rico")
    column = dict(zip(table.header, pr, strict=True))
    assert column["grantees_per_100k"] == NO_VALUE and column["funding_per_resident"] == NO_VALUE
    assert int(column["grantees"]) == 3
    text = (built_site.out_dir / "index.html").read_text(encoding="utf-8")
    assert f'<p class="note footnote">{NO_VALUE} no population figure in the reference data' in text
    # the national rate counts only states with a population: PR's grantees are left out of it
    summary = fixture_warehouse.marts["state_summary"]
    latest = summary[(summary["period"] == "FY2025") & (summary["state"] != "PR")]
    total = dict(zip(table.header, table.total, strict=True))
    assert int(total["grantees"]) == int(summary[summary["period"] == "FY2025"]["grantees"].sum())
    assert float(total["grantees_per_100k"]) > 0
    pr_page = (built_site.out_dir / "states" / "PR.html").read_text(encoding="utf-8")
    visible = re.sub(r"<script.*?</script>", "", pr_page, flags=re.S)
    assert "Puerto Rico" in visible and not re.search(r">[^<]*\b(nan|None|NaN|<NA>)\b", visible)
    assert len(latest) == 4


def test_the_status_board_names_the_current_version_and_what_a_duplicate_repeats(built_site):
    table = next(
        t
        for t in read_html_tables(built_site.out_dir / "states" / "CT.html")
        if t.slug == "submission_status"
    )
    rows = [dict(zip(table.header, row, strict=True)) for row in table.body]
    resent = next(r for r in rows if r["grantee_id"] == "CT-G002")
    assert resent["status"] == "accepted"
    assert resent["current_version"] == "2" and resent["latest_version"] == "3"
    assert resent["latest_version_note"] == "a duplicate of version 1"
    plain = next(r for r in rows if r["grantee_id"] == "CT-G001")
    assert plain["current_version"] == plain["latest_version"] == "2"
    assert plain["latest_version_note"] == "accepted"


def test_all_three_peer_run_classes_are_shown_with_their_counts(built_site, fixture_warehouse):
    summary = fixture_warehouse.marts["state_summary"]
    latest = summary[summary["period"] == "FY2025"]
    table = next(
        t for t in read_html_tables(built_site.out_dir / "index.html") if t.slug == "peer_run_classes"
    )
    rows = {row[1]: dict(zip(table.header, row, strict=True)) for row in table.body}
    codes = [c["code"] for c in load_contract().peer_run["classes"]]
    assert list(rows) == codes
    for code, column in zip(codes, ("peer_run", "peer_partnered", "other_class"), strict=True):
        assert int(rows[code]["grantees"]) == int(latest[column].sum())
    assert int(table.total[table.header.index("grantees")]) == int(latest["grantees"].sum())


def test_the_map_names_states_without_data_in_its_legend(built_site, fixture_warehouse):
    text = (built_site.out_dir / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', text, re.S).group(1)
    maps = [spec for spec in json.loads(block) if spec["data"][0]["type"] == "choropleth"]
    assert len(maps) == 2
    with_data = set(fixture_warehouse.marts["state_summary"].query("period == 'FY2025'")["state"]) - {"PR"}
    for spec in maps:
        no_data, values = spec["data"]
        assert no_data["name"] == "No data" and no_data["showlegend"] is True
        assert set(values["locations"]) == with_data  # PR has no rate, so it is not coloured as if it had
        assert "AL" in no_data["locations"] and "PR" in no_data["locations"]
        assert not set(no_data["locations"]) & with_data


def test_methodology_names_the_warehouse_tables_each_figure_comes_from(built_site, fixture_warehouse):
    text = (built_site.out_dir / "methodology.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>(.*?)</td></tr>', text))
    named = {title: re.findall(r"<code>([^<]+)</code>", cell) for title, cell in rows.items()}
    assert named["Grantees, programs, people served and funding by state"] == [
        "marts.state_summary",
        "core.dim_state",
    ]
    assert "core.programs" in named["Counties"] and "Submission status" in named
    # Every name is a real table of the warehouse the site was built from; none is a report query's name.
    con = duckdb.connect(str(fixture_warehouse.path), read_only=True)
    try:
        tables = {f"{s}.{t}" for s, t in con.execute(load_sql("warehouse/list_tables")).fetchall()}
    finally:
        con.close()
    everything = {t for names in named.values() for t in names}
    assert everything <= tables and "marts.submission_status" in everything
    assert not {"county_mix", "grantee_programs"} & set(re.findall(r"<code>([^<]+)</code>", text))
