"""Write the static report site: national and state pages, methodology, downloads, assets. Works from file://.

Every render recomputes the joint suppression of every people count and builds every page; a page whose
content is what the live site already shows is taken over from it (pipelines/reports/reuse.py) instead of
being written again. The whole site is audited and only then swapped in (pipelines/reports/swap.py).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from pipelines.contract import load_contract
from pipelines.reports.audit import AuditResult, DisclosureError, audit_counts
from pipelines.reports.audit_verdicts import Verdicts
from pipelines.reports.cells import build_publication, detail_periods
from pipelines.reports.data import Landscape, read_landscape
from pipelines.reports.lineage import figure_tables
from pipelines.reports.page_inputs import StateInputs
from pipelines.reports.pages import Page, PageBuilder
from pipelines.reports.render import (
    PLOTLY_JS,
    BuildInfo,
    build_stamp,
    copy_assets,
    download_files,
    environment,
    inline,
    is_download_of,
    page_file,
    page_html,
    pipeline_version,
    topology_script,
    write_downloads,
)
from pipelines.reports.reuse import (
    Manifest,
    PageRecord,
    code_version,
    file_hash,
    link_or_copy,
    page_fingerprint,
    restamp,
)
from pipelines.reports.site_audit import SiteAudit
from pipelines.reports.suppression import COMPLEMENTARY_MARK, SmallCellRule, Suppressed, suppress
from pipelines.reports.swap import staging_dir, swap_in

__all__ = ["PLOTLY_JS", "SiteResult", "build_site", "pipeline_version", "protected_counts", "render_site"]


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
    rendered: list[str] = field(default_factory=list)  # keys ("US", state codes) of the pages written anew
    reused: list[str] = field(default_factory=list)  # keys of the pages taken over from the live site


def _figure_sources(pages: list[Page]) -> list[tuple[str, list[str]]]:
    """(table title, warehouse tables and marts it is built from) for every kind of table the pages show."""
    seen: dict[str, tuple[str, list[str]]] = {}
    for page in pages:
        for table in page.tables:
            seen.setdefault(table.slug, (table.title, figure_tables(table.sources)))
    return list(seen.values())


def build_site(
    warehouse_path: Path, out_dir: Path, *, single_file: bool = False, run_id: str | None = None
) -> SiteResult:
    """Bring the site in out_dir up to date with the published warehouse."""
    return render_site(read_landscape(warehouse_path), out_dir, single_file=single_file, run_id=run_id)


def render_site(
    land: Landscape, out_dir: Path, *, single_file: bool = False, run_id: str | None = None
) -> SiteResult:
    """Render the site beside out_dir and swap it in only once complete and audited: a render that fails
    leaves the previous site as it was."""
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "index.html").is_file():
        raise ValueError(f"{out_dir} holds files but no report site; choose an empty or new folder")
    staging = staging_dir(out_dir)
    try:
        result = _Render(land, staging, out_dir, single_file, run_id).write()
        swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    def moved(paths: list[Path]) -> list[Path]:
        return [out_dir / p.relative_to(staging) for p in paths]

    return replace(result, out_dir=out_dir, pages=moved(result.pages), downloads=moved(result.downloads))


def _build_info(run_id: str | None) -> BuildInfo:
    now = datetime.now(UTC)
    return BuildInfo(
        run_id=run_id or f"manual-{now.strftime('%Y%m%dT%H%M%SZ')}",
        version=pipeline_version(),
        generated=now.strftime("%Y-%m-%d %H:%M UTC"),
        generated_iso=now.isoformat(timespec="seconds"),
        contract_version=load_contract().version,
    )


class _Render:
    """One render of the site into `out_dir` (the staging folder), taking over what it can from `live`."""

    def __init__(self, land: Landscape, out_dir: Path, live: Path, single_file: bool, run_id: str | None):
        self.land, self.out_dir, self.live, self.single_file = land, out_dir, live, single_file
        self.build = _build_info(run_id)
        self.rule = SmallCellRule.from_contract()
        self.env = environment()
        self.previous = Manifest.read(live) if live.is_dir() else None
        self.verdicts = Verdicts.read(live) if self.previous is not None else Verdicts()
        self.manifest = Manifest(self.build.as_dict())
        self.pages: list[Path] = []
        self.downloads: list[Path] = []
        self.rendered: list[str] = []
        self.reused: list[str] = []

    def write(self) -> SiteResult:
        land, out_dir = self.land, self.out_dir
        counts, audit = protected_counts(land, self.rule, self.verdicts)
        builder = PageBuilder(land, counts)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "states").mkdir(exist_ok=True)
        if not self.single_file:
            copy_assets(out_dir)
        common = {
            "build": self.build,
            "rule": self.rule,
            "complementary_mark": COMPLEMENTARY_MARK,
            "inline": inline(self.single_file),
            "topology_script": topology_script(),
        }
        # packages.csv: its fiscal years' parts taken over from the live site where their rows are unchanged.
        self.downloads.append(
            land.packages.write(out_dir, self.live if self.live.is_dir() else None, code_version())
        )
        site_audit = SiteAudit(
            out_dir, counts, detail_periods(land), land.periods[-1] if land.periods else ""
        )
        national = builder.national() if land.periods else None
        if national is None:
            # A fresh deployment has no accepted package yet: say so rather than fail the run.
            empty = self.env.get_template("empty.html.j2").render(
                title="Peer-support landscape", root="", **common
            )
            (out_dir / "index.html").write_text(empty, encoding="utf-8")
            self.pages.append(out_dir / "index.html")
        built = [national] if national else []
        if national:
            self._page(national, common, site_audit)
        inputs = StateInputs(land, counts, self.single_file)
        for state in land.states:
            fingerprint = inputs.fingerprint(state)
            # The methodology lists the tables of the national page and one state page: that one is built.
            if len(built) >= 2 and self._take_over_unbuilt(state, fingerprint):
                continue
            page = builder.state(state)
            self._page(page, common, site_audit, fingerprint)
            if len(built) < 2:  # the national page and one state page show every kind of table
                built.append(page)
        contract = load_contract()
        methodology = self.env.get_template("methodology.html.j2").render(
            title="Methodology",
            root="",
            criteria=contract.peer_run["criteria"],
            classes=contract.peer_run["classes"],
            packages=land.package_count(),
            as_of=national.as_of if national else "no accepted package",
            figure_sources=_figure_sources(built),
            audit=audit,
            **common,
        )
        (out_dir / "methodology.html").write_text(methodology, encoding="utf-8")
        self.pages.append(out_dir / "methodology.html")
        site_audit.check_no_stray_files([*self.pages, *self.downloads])
        if site_audit.problems:
            raise DisclosureError(site_audit.problems)
        self.manifest.write(out_dir)  # only an audited site gets one: what it lists may be taken over
        self.verdicts.write(out_dir)  # likewise: the verdicts of the groups this site was audited with
        return SiteResult(
            out_dir=out_dir,
            pages=self.pages,
            downloads=self.downloads,
            packages=land.package_count(),
            run_id=self.build.run_id,
            version=self.build.version,
            states=land.states,
            audit=audit,
            audit_seconds=audit.seconds + site_audit.seconds,
            rendered=self.rendered,
            reused=self.reused,
        )

    def _page(self, page: Page, common: dict, site_audit: SiteAudit, inputs: str | None = None) -> None:
        html_file, downloads = page_file(page), download_files(page)
        fingerprint = page_fingerprint(page, self.single_file)
        reused = self._take_over(page, fingerprint, html_file, downloads)
        if not reused:
            (self.out_dir / html_file).write_text(page_html(self.env, page, common), encoding="utf-8")
            write_downloads(page, self.out_dir)
        (self.reused if reused else self.rendered).append(page.key)
        self.pages.append(self.out_dir / html_file)
        self.downloads += [self.out_dir / p for p in downloads]
        # Files taken over are the ones that passed the audit for this very content (their hashes say so; the
        # HTML differs only in its footer line): their tables are checked against this run's suppression, and
        # only the files written anew are read back.
        site_audit.check_page(page, self.out_dir / html_file, files_audited=reused)
        files = [html_file, *downloads]
        self.manifest.pages[page.key] = PageRecord(
            fingerprint, {p.as_posix(): file_hash(self.out_dir / p) for p in files}, inputs
        )

    def _take_over_unbuilt(self, state: str, inputs: str) -> bool:
        """Take a state page over from the live site without building it: its inputs (page_inputs.py) are the
        ones its files were built and audited from, so the page, its tables' check against these very counts,
        and its files are what they were (only the footer line is re-stamped)."""
        previous = self.previous
        record = previous.built_from(self.live, state, inputs) if previous is not None else None
        if record is None:
            return False
        html_file = Path("states") / f"{state}.html"
        downloads = [Path(name) for name in record.files if name != html_file.as_posix()]
        if len(downloads) != len(record.files) - 1 or not all(is_download_of(state, p) for p in downloads):
            return False  # not the files a state page writes: render it
        if not self._copy_from_live(previous, html_file, downloads):
            return False
        self.reused.append(state)
        self.pages.append(self.out_dir / html_file)
        self.downloads += [self.out_dir / p for p in downloads]
        files = {**record.files, html_file.as_posix(): file_hash(self.out_dir / html_file)}
        self.manifest.pages[state] = PageRecord(record.fingerprint, files, inputs)
        return True

    def _take_over(self, page: Page, fingerprint: str, html_file: Path, downloads: list[Path]) -> bool:
        previous = self.previous
        if previous is None or not previous.reusable(
            self.live, page.key, fingerprint, [html_file, *downloads]
        ):
            return False
        return self._copy_from_live(previous, html_file, downloads)

    def _copy_from_live(self, previous: Manifest, html_file: Path, downloads: list[Path]) -> bool:
        """The live page's HTML with its footer line re-stamped for this run, and its downloads linked; False
        (nothing written) when the footer is not the one the live site's build wrote."""
        html = restamp(
            (self.live / html_file).read_text(encoding="utf-8"),
            build_stamp(self.env, BuildInfo(**previous.build)),
            build_stamp(self.env, self.build),
        )
        if html is None:
            return False
        (self.out_dir / html_file).write_text(html, encoding="utf-8")
        for path in downloads:
            link_or_copy(self.live / path, self.out_dir / path)
        return True


def protected_counts(
    land: Landscape, rule: SmallCellRule, verdicts: Verdicts | None = None
) -> tuple[Suppressed, AuditResult]:
    """Every people count, suppressed jointly, and the audit of the result; raises DisclosureError when a
    hidden count can be worked out (nothing is written then). `verdicts`: see audit_verdicts.py."""
    publication = build_publication(land)
    counts = suppress(publication, rule)
    audit = audit_counts(publication.values, publication.atoms, publication.relations, counts, rule, verdicts)
    if not audit.ok:
        raise DisclosureError([e.message() for e in audit.exposures])
    return counts, audit
