"""Turn a page into files: its HTML (Jinja2 templates, Plotly JSON), its CSV and XLSX downloads; plus the
site-wide assets (downloads/packages.csv: packages_csv.py) and the build stamp every page carries in its footer."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

import plotly
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from pipelines.paths import PROJECT_ROOT, REFERENCE_DIR, REPORTS_TEMPLATE_DIR
from pipelines.reports.charts import figure_spec, script_json
from pipelines.reports.pages import Page
from pipelines.reports.table_html import body_rows
from pipelines.reports.tables import NO_VALUE, format_cell, write_csv, write_xlsx

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
TOPOLOGY = REFERENCE_DIR / "usa_110m.json"
STATIC_DIR = REPORTS_TEMPLATE_DIR / "static"
TEMPLATE_DIR = REPORTS_TEMPLATE_DIR / "templates"
BUILD_TEMPLATE = "_build.html.j2"  # the footer line naming the run: the only part of a page a new run changes


@dataclass(frozen=True)
class BuildInfo:
    run_id: str
    version: str
    generated: str
    generated_iso: str
    contract_version: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def pipeline_version() -> str:
    """The git commit the site was built from, else the installed package version."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        if out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return importlib.metadata.version("peer-landscape")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals["fmt"] = format_cell
    env.globals["body_rows"] = body_rows
    env.globals["no_value"] = NO_VALUE
    return env


@dataclass(frozen=True)
class Inline:
    """Text inlined into every page (single-file mode inlines plotly.js and the CSS too)."""

    css: Markup | None
    print_css: Markup | None
    plotly: Markup | None


def inline(single_file: bool) -> Inline:
    if not single_file:
        return Inline(None, None, None)
    css = (STATIC_DIR / "report.css").read_text(encoding="utf-8")
    print_css = (STATIC_DIR / "print.css").read_text(encoding="utf-8")
    # plotly.min.js has no "</script" or "<!--" in it; checked so a future version cannot break the page.
    js = PLOTLY_JS.read_text(encoding="utf-8")
    if "</script" in js.lower() or "<!--" in js:
        raise ValueError("plotly.min.js cannot be inlined safely in a <script> element")
    return Inline(Markup(css.replace("</", "<\\/")), Markup(print_css.replace("</", "<\\/")), Markup(js))


def topology_script() -> Markup:
    topology = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    # plotly.js looks maps up by "<scope>_<resolution>m"; with the topology here it never fetches one.
    return Markup(f"window.PlotlyGeoAssets = {{topojson: {{usa_110m: {script_json(topology)}}}}};")


def build_stamp(env: Environment, build: BuildInfo) -> str:
    """The footer line of every page for this build."""
    return env.get_template(BUILD_TEMPLATE).render(build=build)


def _charts(page: Page) -> tuple[dict[str, list[dict]], Markup]:
    by_section, specs = {}, []
    for section in page.sections:
        by_section[section.id] = []
        for i, chart in enumerate(section.charts):
            title = chart.label if chart.kind == "choropleth" else section.title
            chart_id = f"chart-{section.id}-{i}"
            by_section[section.id].append(
                {
                    "id": chart_id,
                    "title": f"{title}, {page.period}" if chart.kind != "line" else title,
                    "units": chart.label,
                }
            )
            specs.append({"id": chart_id, **figure_spec(chart, by_section[section.id][-1]["title"])})
    return by_section, Markup(script_json(specs))


def page_file(page: Page) -> Path:
    """Where a page's HTML goes, relative to the site folder."""
    return Path("index.html") if page.kind == "national" else Path("states") / f"{page.key}.html"


DOWNLOADS = Path("downloads")


def table_csv(key: str, slug: str) -> Path:
    """Where a page's table is downloaded as CSV, relative to the site folder."""
    return DOWNLOADS / key / f"{slug}.csv"


def workbook_file(key: str) -> Path:
    """Where a page's workbook of every table is downloaded, relative to the site folder."""
    return DOWNLOADS / f"{key}.xlsx"


def is_download_of(key: str, path: Path) -> bool:
    """Whether `path` is where a page writes one of its downloads: its workbook, or a table's CSV."""
    if path == workbook_file(key):
        return True
    slug = path.stem
    return slug.replace("_", "").isalnum() and path == table_csv(key, slug)


def download_files(page: Page) -> list[Path]:
    """A page's downloads, relative to the site folder: one CSV per table, then the workbook of them all."""
    return [*(table_csv(page.key, t.slug) for t in page.tables), workbook_file(page.key)]


def page_html(env: Environment, page: Page, common: dict) -> str:
    root = "" if page.kind == "national" else "../"
    charts, chart_json = _charts(page)
    return env.get_template("report.html.j2").render(
        title=page.title,
        page=page,
        root=root,
        download_root=f"{root}downloads/{page.key}/",
        workbook=f"{root}downloads/{page.key}.xlsx",
        charts=charts,
        chart_json=chart_json,
        **common,
    )


def write_downloads(page: Page, out_dir: Path) -> list[Path]:
    (out_dir / DOWNLOADS / page.key).mkdir(parents=True, exist_ok=True)
    written = [write_csv(t, out_dir / table_csv(page.key, t.slug)) for t in page.tables]
    written.append(write_xlsx(page.tables, out_dir / workbook_file(page.key)))
    return written


def copy_assets(out_dir: Path) -> None:
    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PLOTLY_JS, assets / "plotly.min.js")
    for name in ("report.css", "print.css"):
        shutil.copyfile(STATIC_DIR / name, assets / name)
