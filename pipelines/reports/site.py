"""Write the static report site: national and state pages, methodology, downloads, assets. Works from file://."""

from __future__ import annotations

import csv
import importlib.metadata
import json
import shutil
import subprocess
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import plotly
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from pipelines.contract import load_contract
from pipelines.paths import PROJECT_ROOT, REFERENCE_DIR, REPORTS_TEMPLATE_DIR
from pipelines.reports.audit import AuditResult, DisclosureError, audit_counts
from pipelines.reports.cells import build_publication, detail_periods
from pipelines.reports.charts import figure_spec, script_json
from pipelines.reports.data import Landscape, read_landscape
from pipelines.reports.lineage import figure_tables
from pipelines.reports.pages import Page, PageBuilder
from pipelines.reports.site_audit import SiteAudit
from pipelines.reports.suppression import COMPLEMENTARY_MARK, SmallCellRule, Suppressed, suppress
from pipelines.reports.swap import staging_dir, swap_in
from pipelines.reports.tables import NO_VALUE, format_cell, neutralise, write_csv, write_xlsx

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
TOPOLOGY = REFERENCE_DIR / "usa_110m.json"
STATIC_DIR = REPORTS_TEMPLATE_DIR / "static"
TEMPLATE_DIR = REPORTS_TEMPLATE_DIR / "templates"
PACKAGE_COLUMNS = ["grantee_id", "state", "period", "version", "sha256", "accepted_at"]


@dataclass(frozen=True)
class SiteResult:
    out_dir: Path
    pages: list[Path]
    downloads: list[Path]
    packages: int
    run_id: str
    version: str
    states: list[str] = field(default_factory=list)
    audit: AuditResult | None = None
    audit_seconds: float = 0.0  # the disclosure audit: LP over the protected counts + reading every file back


@dataclass(frozen=True)
class BuildInfo:
    run_id: str
    version: str
    generated: str
    generated_iso: str
    contract_version: str


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


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals["fmt"] = format_cell
    env.globals["no_value"] = NO_VALUE
    return env


@dataclass(frozen=True)
class _Inline:
    """Text inlined into every page (single-file mode inlines plotly.js and the CSS too)."""

    css: Markup | None
    print_css: Markup | None
    plotly: Markup | None


def _inline(single_file: bool) -> _Inline:
    if not single_file:
        return _Inline(None, None, None)
    css = (STATIC_DIR / "report.css").read_text(encoding="utf-8")
    print_css = (STATIC_DIR / "print.css").read_text(encoding="utf-8")
    # plotly.min.js has no "</script" or "<!--" in it; checked so a future version cannot break the page.
    js = PLOTLY_JS.read_text(encoding="utf-8")
    if "</script" in js.lower() or "<!--" in js:
        raise ValueError("plotly.min.js cannot be inlined safely in a <script> element")
    return _Inline(Markup(css.replace("</", "<\\/")), Markup(print_css.replace("</", "<\\/")), Markup(js))


def _topology_script() -> Markup:
    topology = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    # plotly.js looks maps up by "<scope>_<resolution>m"; with the topology here it never fetches one.
    return Markup(f"window.PlotlyGeoAssets = {{topojson: {{usa_110m: {script_json(topology)}}}}};")


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


def _figure_sources(pages: list[Page]) -> list[tuple[str, list[str]]]:
    """(table title, warehouse tables and marts it is built from) for every kind of table the pages show."""
    seen: dict[str, tuple[str, list[str]]] = {}
    for page in pages:
        for table in page.tables:
            seen.setdefault(table.slug, (table.title, figure_tables(table.sources)))
    return list(seen.values())


def _write_downloads(page: Page, out_dir: Path) -> list[Path]:
    folder = out_dir / "downloads" / page.key
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_csv(t, folder / f"{t.slug}.csv") for t in page.tables]
    written.append(write_xlsx(page.tables, out_dir / "downloads" / f"{page.key}.xlsx"))
    return written


def _write_packages(land: Landscape, out_dir: Path) -> Path:
    path = out_dir / "downloads" / "packages.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(PACKAGE_COLUMNS)
        for r in land.packages.iter_rows(named=True):
            accepted = "" if r["received_at"] is None else r["received_at"].isoformat()
            row = (r["grantee_id"], r["state"], r["period"], int(r["version"]), r["sha256"], accepted)
            writer.writerow([neutralise(v) for v in row])
    return path


def _copy_assets(out_dir: Path) -> None:
    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PLOTLY_JS, assets / "plotly.min.js")
    for name in ("report.css", "print.css"):
        shutil.copyfile(STATIC_DIR / name, assets / name)


def build_site(
    warehouse_path: Path, out_dir: Path, *, single_file: bool = False, run_id: str | None = None
) -> SiteResult:
    """Render the whole site from the published warehouse into out_dir."""
    return render_site(read_landscape(warehouse_path), out_dir, single_file=single_file, run_id=run_id)


def render_site(
    land: Landscape, out_dir: Path, *, single_file: bool = False, run_id: str | None = None
) -> SiteResult:
    """Render the site beside out_dir and swap it in only once complete: a render that fails leaves the
    previous site as it was."""
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "index.html").is_file():
        raise ValueError(f"{out_dir} holds files but no report site; choose an empty or new folder")
    staging = staging_dir(out_dir)
    try:
        result = _write_site(land, staging, single_file=single_file, run_id=run_id)
        swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    def moved(paths: list[Path]) -> list[Path]:
        return [out_dir / p.relative_to(staging) for p in paths]

    return replace(result, out_dir=out_dir, pages=moved(result.pages), downloads=moved(result.downloads))


def _write_site(land: Landscape, out_dir: Path, *, single_file: bool, run_id: str | None) -> SiteResult:
    now = datetime.now(UTC)
    run_id = run_id or f"manual-{now.strftime('%Y%m%dT%H%M%SZ')}"
    build = BuildInfo(
        run_id=run_id,
        version=pipeline_version(),
        generated=now.strftime("%Y-%m-%d %H:%M UTC"),
        generated_iso=now.isoformat(timespec="seconds"),
        contract_version=load_contract().version,
    )
    rule = SmallCellRule.from_contract()
    counts, audit = protected_counts(land, rule)
    builder = PageBuilder(land, counts)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "states").mkdir(exist_ok=True)
    if not single_file:
        _copy_assets(out_dir)
    env = _environment()
    common = {
        "build": build,
        "rule": rule,
        "complementary_mark": COMPLEMENTARY_MARK,
        "inline": _inline(single_file),
        "topology_script": _topology_script(),
    }
    pages, downloads, built = [], [_write_packages(land, out_dir)], []
    site_audit = SiteAudit(out_dir, counts, detail_periods(land), land.periods[-1] if land.periods else "")
    report = env.get_template("report.html.j2")
    national = builder.national() if land.periods else None
    if national is None:
        # A fresh deployment has no accepted package yet: say so rather than fail the run.
        empty = env.get_template("empty.html.j2").render(title="Peer-support landscape", root="", **common)
        (out_dir / "index.html").write_text(empty, encoding="utf-8")
        pages.append(out_dir / "index.html")
    for page, path, root in [
        *([(national, out_dir / "index.html", "")] if national else []),
        *((builder.state(s), out_dir / "states" / f"{s}.html", "../") for s in land.states),
    ]:
        charts, chart_json = _charts(page)
        html = report.render(
            title=page.title,
            page=page,
            root=root,
            download_root=f"{root}downloads/{page.key}/",
            workbook=f"{root}downloads/{page.key}.xlsx",
            charts=charts,
            chart_json=chart_json,
            **common,
        )
        path.write_text(html, encoding="utf-8")
        pages.append(path)
        downloads += _write_downloads(page, out_dir)
        site_audit.check_page(page, path)
        if len(built) < 2:  # the national page and one state page show every kind of table
            built.append(page)
    contract = load_contract()
    methodology = env.get_template("methodology.html.j2").render(
        title="Methodology",
        root="",
        criteria=contract.peer_run["criteria"],
        classes=contract.peer_run["classes"],
        packages=land.packages.height,
        as_of=national.as_of if national else "no accepted package",
        figure_sources=_figure_sources(built),
        audit=audit,
        **common,
    )
    (out_dir / "methodology.html").write_text(methodology, encoding="utf-8")
    pages.append(out_dir / "methodology.html")
    site_audit.check_no_stray_files([*pages, *downloads])
    if site_audit.problems:
        raise DisclosureError(site_audit.problems)
    return SiteResult(
        out_dir=out_dir,
        pages=pages,
        downloads=downloads,
        packages=land.packages.height,
        run_id=run_id,
        version=build.version,
        states=land.states,
        audit=audit,
        audit_seconds=audit.seconds + site_audit.seconds,
    )


def protected_counts(land: Landscape, rule: SmallCellRule) -> tuple[Suppressed, AuditResult]:
    """Every people count, suppressed jointly, and the audit of the result; raises DisclosureError when a
    hidden count can be worked out (nothing is written then)."""
    publication = build_publication(land)
    counts = suppress(publication, rule)
    audit = audit_counts(publication.values, publication.atoms, publication.relations, counts, rule)
    if not audit.ok:
        raise DisclosureError([e.message() for e in audit.exposures])
    return counts, audit
