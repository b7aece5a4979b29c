"""The static site: files, offline assets, escaping, downloads equal to the pages, provenance, footer."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook
from report_fixture import FORMULA_NAME, SCRIPT_NAME, build_fixture_warehouse
from small_cell_checker import read_csv_table, read_html_tables

from pipelines.reports.site import PLOTLY_JS, build_site
from pipelines.reports.tables import NO_VALUE

EMPTY_SQL = Path(__file__).with_name("fixture_empty.sql")
EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def _html(site) -> dict[str, str]:
    return {
        str(p.relative_to(site.out_dir)): p.read_text(encoding="utf-8") for p in site.out_dir.rglob("*.html")
    }


def test_site_has_national_state_methodology_pages_and_downloads(built_site, fixture_warehouse):
    out = built_site.out_dir
    states = sorted(fixture_warehouse.marts["state_summary"]["state"].unique())
    assert (out / "index.html").is_file() and (out / "methodology.html").is_file()
    assert sorted(p.stem for p in (out / "states").glob("*.html")) == states == built_site.states
    assert (out / "downloads" / "packages.csv").is_file()
    for key in ["US", *states]:
        assert (out / "downloads" / f"{key}.xlsx").is_file()
        assert (out / "downloads" / key / "headline.csv").is_file()


def test_plotly_is_stored_once_and_referenced_relatively(built_site):
    out = built_site.out_dir
    copies = [p for p in out.rglob("*.js")]
    assert copies == [out / "assets" / "plotly.min.js"]
    assert (out / "assets" / "plotly.min.js").read_bytes() == PLOTLY_JS.read_bytes()
    pages = _html(built_site)
    assert '<script src="assets/plotly.min.js"></script>' in pages["index.html"]
    assert '<script src="../assets/plotly.min.js"></script>' in pages["states/CT.html"]
    for name, text in pages.items():
        assert len(text) < 1_000_000, f"{name} should not inline plotly.js"


def test_no_page_refers_to_anything_outside_the_site(built_site):
    for name, text in _html(built_site).items():
        assert not EXTERNAL.search(text), f"{name} refers to an external resource"
        assert "@import" not in text and "fonts.googleapis" not in text
    for css in (built_site.out_dir / "assets").glob("*.css"):
        assert not EXTERNAL.search(css.read_text(encoding="utf-8"))


def test_us_topology_is_inlined_before_plotly(built_site):
    text = _html(built_site)["index.html"]
    topology = text.index("window.PlotlyGeoAssets = {topojson: {usa_110m: {")
    assert topology < text.index("assets/plotly.min.js")
    assert '"subunits"' in text


def test_injected_names_stay_inert_text(built_site):
    pages = _html(built_site)
    for name, text in pages.items():
        assert SCRIPT_NAME not in text, name
        assert "<b>Drop-in</b>" not in text, name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["states/CT.html"]
    # In the JSON that feeds the charts, "<" is written as \u003c so no text can close the script element.
    for text in pages.values():
        for block in re.findall(
            r'<script type="application/json" id="chart-data">(.*?)</script>', text, re.S
        ):
            assert "<" not in block


def test_text_cells_in_downloads_are_neutralised(built_site):
    rows = list(csv.reader((built_site.out_dir / "downloads" / "NY" / "grantees.csv").open(encoding="utf-8")))
    names = {r[0] for r in rows[1:]}
    assert "'" + FORMULA_NAME in names and FORMULA_NAME not in names
    workbook = load_workbook(built_site.out_dir / "downloads" / "NY.xlsx")
    cells = [c for row in workbook["grantees"].iter_rows() for c in row if c.value == "'" + FORMULA_NAME]
    assert cells and all(c.data_type == "s" for c in cells)


def _norm(text: str) -> str:
    return text.strip().replace(NO_VALUE, "").lstrip("'").replace(",", "").replace("$", "").rstrip("%")


@pytest.mark.parametrize(
    "page,key", [("index.html", "US"), ("states/CT.html", "CT"), ("states/RI.html", "RI")]
)
def test_downloads_equal_what_the_pages_show(built_site, page, key):
    tables = read_html_tables(built_site.out_dir / page)
    assert len(tables) >= 8
    for table in tables:
        download = read_csv_table(built_site.out_dir / "downloads" / key / f"{table.slug}.csv")
        assert download.header == table.header, table.slug
        html_rows = table.body + ([table.total] if table.total else [])
        csv_rows = download.body + ([download.total] if download.total else [])
        assert len(html_rows) == len(csv_rows), table.slug
        for hrow, crow in zip(html_rows, csv_rows, strict=True):
            for column, h, c in zip(table.header, hrow, crow, strict=True):
                if table.header and column in (
                    "peer_run_share",
                    "share",
                    "lived_experience_share",
                    "improved_share",
                ):
                    h_num = float(_norm(h)) / 100 if _norm(h) not in ("", "*") else _norm(h)
                    c_num = float(_norm(c)) if _norm(c) not in ("", "*") else _norm(c)
                    assert h_num == c_num or abs(h_num - c_num) < 0.0006, (table.slug, column)
                elif _norm(c).replace(".", "", 1).isdigit() or _norm(c).startswith("-"):
                    assert float(_norm(h) or 0) == pytest.approx(float(_norm(c)), abs=0.01), (
                        table.slug,
                        column,
                    )
                else:
                    assert _norm(h) == _norm(c), (table.slug, column)


def test_headlines_and_summaries_match_the_marts(built_site, fixture_warehouse):
    summary = fixture_warehouse.marts["state_summary"]
    latest = summary[summary["period"] == "FY2025"]
    text = _html(built_site)["index.html"]
    grantees = int(latest["grantees"].sum())
    programs = int(latest["programs"].sum())
    served = int(latest["participants_served"].sum())
    funding = latest["funding_usd"].sum()
    assert served >= 11
    sentence = (
        f"In FY2025, {grantees:,} grantees in the United States ran {programs:,} programs, "
        f"served {served:,} people and reported ${funding:,.0f} in funding."
    )
    assert sentence in text
    assert f'data-headline="Grantees">{grantees:,}<' in text
    by_type = fixture_warehouse.marts["programs_by_type"]
    by_type = by_type[by_type["period"] == "FY2025"].groupby("program_type")["programs"].sum()
    top = by_type.sort_values(ascending=False)
    top = top[top == top.iloc[0]].sort_index().index[0]
    assert f"({int(by_type[top])} programs)" in text


def test_packages_csv_lists_every_package_behind_the_figures(built_site, fixture_warehouse):
    packages = fixture_warehouse.core["packages"]
    current = packages[packages["is_current"] & (packages["status"] == "accepted")]
    rows = list(csv.DictReader((built_site.out_dir / "downloads" / "packages.csv").open(encoding="utf-8")))
    assert list(rows[0]) == ["grantee_id", "state", "period", "version", "sha256", "accepted_at"]
    assert {(r["grantee_id"], r["period"], int(r["version"]), r["sha256"]) for r in rows} == {
        (r.grantee_id, r.period, r.version, r.sha256) for r in current.itertuples()
    }
    assert built_site.packages == len(current)
    text = _html(built_site)["index.html"]
    assert f'data-packages="{len(current)}"' in text
    as_of = pd.Timestamp(current["received_at"].max()).strftime("%Y-%m-%d")
    assert f"data as of <time>{as_of}</time>" in text
    ct = current[current["state"] == "CT"]
    assert f'data-packages="{len(ct)}"' in _html(built_site)["states/CT.html"]


def test_footer_names_run_version_and_time_and_methodology_explains_the_rules(built_site):
    for text in _html(built_site).values():
        assert "Run id: <code>test-run-42</code>" in text
        assert f"Pipeline version: <code>{built_site.version}</code>" in text
        assert "Generated: <time datetime=" in text
    methodology = _html(built_site)["methodology.html"]
    for phrase in (
        "&lt;11",
        "participants_served",
        "consumer_governed",
        "peer_staffed",
        "Peer-partnered",
        "complementary",
    ):
        assert phrase in methodology or phrase.replace("complementary", "withheld") in methodology


def test_every_chart_has_a_title_summary_table_units_and_date(built_site):
    text = _html(built_site)["index.html"]
    sections = re.findall(r'<section id="([^"]+)" class="report-section".*?</section>', text, re.S)
    assert len(sections) >= 10
    for block in re.findall(r'(<section id="[^"]+" class="report-section".*?</section>)', text, re.S):
        assert re.search(r"<h2[^>]*>[^<]+</h2>", block)
        assert 'class="summary"' in block and "<table" in block and "<caption>" in block
        for figure in re.findall(r"<figure.*?</figure>", block, re.S):
            assert 'tabindex="0"' in figure and "Units:" in figure and "Data as of" in figure
    assert '<a class="skip-link" href="#main">' in text


def test_single_file_pages_carry_everything(fixture_warehouse, tmp_path):
    result = build_site(fixture_warehouse.path, tmp_path / "single", single_file=True, run_id="mail")
    assert not (tmp_path / "single" / "assets").exists()
    text = (tmp_path / "single" / "states" / "CT.html").read_text(encoding="utf-8")
    assert "<script src=" not in text and '<link rel="stylesheet"' not in text
    assert (
        hashlib.sha256(PLOTLY_JS.read_bytes()).hexdigest()
        and PLOTLY_JS.read_text(encoding="utf-8")[:200] in text
    )
    assert len(result.pages) == len(result.states) + 2


def test_an_empty_warehouse_gives_a_page_that_says_so(tmp_path):
    warehouse = build_fixture_warehouse(tmp_path / "w.duckdb").path
    con = duckdb.connect(str(warehouse))
    con.execute(EMPTY_SQL.read_text(encoding="utf-8"))
    con.close()
    result = build_site(warehouse, tmp_path / "site", run_id="empty")
    assert result.states == [] and result.packages == 0
    text = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "No accepted grantee package has been published yet" in text
    assert (tmp_path / "site" / "methodology.html").is_file()
