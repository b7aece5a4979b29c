"""The site in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright), offline."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from report_fixture import SCRIPT_NAME

from pipelines.reports.pdf import CHROMIUM, print_pdfs
from pipelines.reports.site import build_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").is_file(),
        reason="/usr/bin/chromium is not installed (Debian package chromium; .ci/run installs it)",
    ),
]
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
PAGE_PATTERN = re.compile(r"/Type\s*/Page(?![a-zA-Z])")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        yield b
        b.close()


class Visit:
    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.resolve().as_uri(), wait_until="load")
        # Maps draw after a promise resolves; wait until every chart container holds a plot.
        self.page.wait_for_function(
            "Array.from(document.querySelectorAll('.chart')).every(el => el.querySelector('.main-svg'))",
            timeout=30000,
        )

    def close(self):
        self.page.close()


def _pages(site: Path) -> list[Path]:
    return [site / "index.html", site / "methodology.html", *sorted((site / "states").glob("*.html"))]


def test_every_page_loads_without_errors_or_requests_outside_the_site(browser, built_site):
    for path in _pages(built_site.out_dir):
        visit = Visit(browser, path)
        try:
            assert visit.errors == [], f"{path.name}: {visit.errors}"
            outside = [u for u in visit.requests if not u.startswith("file://")]
            assert outside == [], f"{path.name} requested {outside}"
            assert visit.dialogs == []
        finally:
            visit.close()


def test_the_map_draws_the_state_shapes(browser, built_site, fixture_warehouse):
    summary = fixture_warehouse.marts["state_summary"]
    # Puerto Rico has no population, so no rate: it is drawn with the states without data.
    states = summary.loc[(summary["period"] == "FY2025") & (summary["state"] != "PR"), "state"].nunique()
    visit = Visit(browser, built_site.out_dir / "index.html")
    try:
        for chart in ("#chart-states-0", "#chart-states-1"):
            no_data, with_data = (
                visit.page.locator(f"{chart} .geo g.trace.choropleth")
                .nth(i)
                .locator("path.choroplethlocation")
                for i in (0, 1)
            )
            assert with_data.count() == states
            assert no_data.count() > states  # every other state is drawn grey, with a legend entry
            assert visit.page.locator(f"{chart} .legend").get_by_text("No data").count() == 1
            shapes = with_data
            box = shapes.first.bounding_box()
            assert box and box["width"] > 5 and box["height"] > 5
        # The base map (state outlines from the inlined topology) is drawn too.
        assert visit.page.locator("#chart-states-0 .geo .layer path").count() > 0
    finally:
        visit.close()


def test_the_text_summaries_match_the_marts(browser, built_site, fixture_warehouse):
    summary = fixture_warehouse.marts["state_summary"]
    latest = summary[summary["period"] == "FY2025"]
    visit = Visit(browser, built_site.out_dir / "index.html")
    try:
        page = visit.page
        assert page.text_content('[data-headline="Grantees"]') == f"{int(latest['grantees'].sum()):,}"
        assert page.text_content('[data-headline="Programs"]') == f"{int(latest['programs'].sum()):,}"
        assert (
            page.text_content('[data-headline="People served"]')
            == f"{int(latest['participants_served'].sum()):,}"
        )
        assert page.text_content('[data-headline="Total funding"]') == f"${latest['funding_usd'].sum():,.0f}"
        share = latest["peer_run"].sum() / latest["grantees"].sum()
        assert page.text_content('[data-headline="Share peer-run"]') == f"{share * 100:.1f}%"
        funding_text = page.text_content('[data-summary="funding_by_source"]')
        assert f"${latest['funding_usd'].sum():,.0f}" in funding_text
    finally:
        visit.close()
    ri = latest[latest["state"] == "RI"].iloc[0]
    assert 1 <= ri["participants_served"] <= 10
    visit = Visit(browser, built_site.out_dir / "states" / "RI.html")
    try:
        assert visit.page.text_content('[data-headline="People served"]') == "<11"
        assert visit.page.text_content('[data-headline="Grantees"]') == str(int(ri["grantees"]))
    finally:
        visit.close()


def test_an_injected_script_name_is_inert_text(browser, built_site):
    visit = Visit(browser, built_site.out_dir / "states" / "CT.html")
    try:
        page = visit.page
        assert visit.dialogs == []
        cells = page.locator("#table-grantees tbody th")
        assert SCRIPT_NAME in [cells.nth(i).text_content() for i in range(cells.count())]
        scripts = page.eval_on_selector_all("script", "els => els.map(e => e.textContent)")
        assert not any("alert(1)" in s for s in scripts)
    finally:
        visit.close()


def test_keyboard_reaches_the_skip_link_and_every_chart(browser, built_site):
    visit = Visit(browser, built_site.out_dir / "index.html")
    try:
        page = visit.page
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert page.evaluate("Array.from(document.querySelectorAll('.chart')).every(e => e.tabIndex === 0)")
    finally:
        visit.close()


def test_single_file_page_loads_with_no_other_file(browser, fixture_warehouse, tmp_path):
    build_site(fixture_warehouse.path, tmp_path / "single", single_file=True, run_id="mail")
    page = tmp_path / "single" / "index.html"
    moved = tmp_path / "alone" / "index.html"
    moved.parent.mkdir()
    shutil.copyfile(page, moved)
    visit = Visit(browser, moved)
    try:
        assert visit.errors == []
        assert visit.requests == [moved.resolve().as_uri()]
        assert visit.page.locator("#chart-states-0 path.choroplethlocation").count() > 0
    finally:
        visit.close()


def test_reports_print_to_pdf_with_at_least_one_page_each(built_site, tmp_path):
    assert CHROMIUM.is_file()
    pdfs = print_pdfs(built_site.out_dir, tmp_path / "pdf")
    assert [p.name for p in pdfs] == ["national.pdf", *(f"{s}.pdf" for s in built_site.states)]
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-")
        assert len(PAGE_PATTERN.findall(data.decode("latin-1"))) >= 1, pdf.name
    national_pages = len(PAGE_PATTERN.findall(pdfs[0].read_bytes().decode("latin-1")))
    assert national_pages >= 5  # print CSS starts each section on a new page


def test_screenshot_of_the_national_report(browser, built_site, tmp_path):
    visit = Visit(browser, built_site.out_dir / "index.html")
    try:
        shot = tmp_path / "national-report.png"
        visit.page.set_viewport_size({"width": 1200, "height": 1800})  # headline figures and the map
        visit.page.wait_for_timeout(500)  # let the responsive charts take the new width
        visit.page.screenshot(path=str(shot), full_page=False)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
        target = os.environ.get("LANDSCAPE_SCREENSHOT")
        if target:  # how docs/img/national-report.png is made
            shutil.copyfile(shot, target)
    finally:
        visit.close()
