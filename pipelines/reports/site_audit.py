"""The audit of a rendered site: every published file is read back and must say exactly what was protected.

The disclosure audit (audit.py) reasons over the people counts as the suppression left them. This module
proves that the files a reader downloads publish those counts and nothing else: each HTML table, each CSV and
each XLSX sheet is read back and compared cell by cell with the table it was written from; every people
count in it is traced, by the table's own key column, to the protected cell it must show; a share, ratio or
change is blank wherever a count it is computed from is hidden; and every chart is a column of its section's
table. Anything that is not (an extra table with people counts, a chart of hidden counts, a file that differs
from its table) is a problem, and a problem stops the publication.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from pathlib import Path

from pipelines.reports.audit import format_key
from pipelines.reports.cells import IMPROVED, RESPONDENTS, SERVED
from pipelines.reports.charts import NO_DATA_LABEL
from pipelines.reports.expected_cells import download_columns, download_csv, page_rows
from pipelines.reports.read_back import (
    first_difference,
    read_charts,
    read_html_tables,
    read_workbook_columns,
    untraced_tables,
)
from pipelines.reports.render import table_csv, workbook_file
from pipelines.reports.suppression import Suppressed
from pipelines.reports.tables import PublishedTable, format_cell, neutralise

PEOPLE = (SERVED, RESPONDENTS, IMPROVED)
# Figures computed from people counts in the same row: blank or a mark wherever one of them is hidden.
DERIVED = {
    "funding_per_participant": (SERVED,),
    "improved_share": (RESPONDENTS, IMPROVED),
    "participants_served_change": (SERVED,),
}
# How each table's rows name their cell: the key column and the cell's scope on national / state pages.
ROW_KEYS = {
    "headline": ("period", None, None),
    "trend": ("period", None, None),
    "states": ("state", "state", None),
    "program_types": ("program_type", "type", "state_type"),
    "hhs_regions": ("hhs_region", "hhs", None),
    "urbanicity": ("urbanicity", None, "state_urb"),
    "counties": ("county_fips", None, "county"),
    "outcomes": ("measure", "outcome", "state_outcome"),
}


class SiteAudit:
    """Reads back one rendered site and collects every problem (an empty list: the files are as protected)."""

    def __init__(self, out_dir: Path, counts: Suppressed, detail_periods: dict[str, str], latest: str):
        self.out_dir = out_dir
        self.counts = counts
        self.detail = detail_periods
        self.latest = latest
        self.problems: list[str] = []
        self.files = 0
        self.seconds = 0.0

    # -- tracing people counts to protected cells ------------------------------------------------------------
    def _cell_key(self, page_key: str, slug: str, row: list, header: list[str], measure: str, is_total: bool):
        state = None if page_key == "US" else page_key
        period = self.latest if state is None else self.detail[state]
        column, national, in_state = ROW_KEYS[slug]
        if slug in ("headline", "trend"):
            return (
                (measure, row[header.index(column)], "nation")
                if state is None
                else (
                    measure,
                    row[header.index(column)],
                    "state",
                    state,
                )
            )
        if is_total:
            return (measure, period, "nation") if state is None else (measure, period, "state", state)
        value = str(row[header.index(column)])
        scope = national if state is None else in_state
        if scope is None:
            return None
        return (measure, period, scope, value) if state is None else (measure, period, scope, state, value)

    def check_table(self, page_key: str, table: PublishedTable) -> None:
        header = table.header()
        people = [c for c in header if c in PEOPLE]
        where = f"{page_key}/{table.slug}"
        if people and table.slug not in ROW_KEYS:
            self.problems.append(f"{where}: people counts in a table the audit does not know ({people})")
            return
        for i, row in enumerate(table.records()):
            is_total = table.total is not None and i == len(table.rows)
            shown = dict(zip(header, row, strict=True))
            for measure in people:
                key = self._cell_key(page_key, table.slug, row, header, measure, is_total)
                cell = self.counts.get(key) if key is not None else None
                if cell is None and isinstance(shown[measure], int | float | str) and shown[measure] != 0:
                    self.problems.append(f"{where}: {measure} of row {row[0]!r} is no protected cell")
                elif cell is None:
                    continue  # nothing published (empty, footnoted missing) or a zero: no programs there
                elif shown[measure] != cell.shown():
                    self.problems.append(
                        f"{where}: {measure} of row {row[0]!r} shows {shown[measure]!r}, "
                        f"protected cell {format_key(key)} is {cell.shown()!r}"
                    )
            self._check_derived(where, table, i, shown)

    def _check_derived(self, where: str, table: PublishedTable, i: int, shown: dict) -> None:
        for derived, sources in DERIVED.items():
            if derived not in shown or isinstance(shown[derived], str) or shown[derived] is None:
                continue
            rows = table.records()
            neighbours = [shown]
            if derived.endswith("_change"):  # a change is this row's count minus the previous row's
                neighbours += [dict(zip(table.header(), rows[i - 1], strict=True))] if i else []
            if any(isinstance(n.get(s), str) for n in neighbours for s in sources if s in n):
                self.problems.append(
                    f"{where}: {derived} of row {rows[i][0]!r} is published next to a hidden count"
                )

    # -- the files --------------------------------------------------------------------------------------------
    def _check_html(self, path: Path, page_key: str, tables: list[PublishedTable], sections) -> None:
        text = path.read_text(encoding="utf-8")
        self.files += 1
        found = read_html_tables(text)
        if untraced_tables(text):
            self.problems.append(
                f"{path.name}: a table without data-slug cannot be traced to a protected table"
            )
        for table in tables:
            header, rows = found.pop(table.slug, (None, None))
            width = len(header or ())
            if header != table.header() or [r[:width] for r in rows or []] != page_rows(table):
                self.problems.append(f"{path.name}: table {table.slug} differs from the protected table")
        for slug, (header, _) in found.items():
            if any(c in PEOPLE for c in header):
                self.problems.append(f"{path.name}: table {slug} with people counts was never protected")
        self._check_charts(path.name, read_charts(text), sections)

    def _check_csv(self, path: Path, columns: list[list]) -> None:
        """The file's text is the CSV of the table's download columns, byte for byte."""
        self.files += 1
        if not path.is_file() or path.read_bytes() != download_csv(columns).encode("utf-8"):
            self.problems.append(f"{path.relative_to(self.out_dir)} differs from the protected table")

    def _check_xlsx(self, path: Path, tables: list[PublishedTable], columns: dict[str, list[list]]) -> None:
        """Every sheet read back (calamine) column by column against the table's download columns."""
        self.files += 1
        sheets = read_workbook_columns(path)
        for table in tables:
            got = sheets.pop(table.slug[:31], None)
            if got is None:
                self.problems.append(f"{path.name}: sheet {table.slug} is missing")
                continue
            want = columns[table.slug]
            height = len(want[0]) if want else 0
            # A reader's sheet ends at its last non-empty column: a column past it reads as empty cells.
            got = got + [[None] * height] * (len(want) - len(got))
            differences = [
                (row, j)
                for j, (g, w) in enumerate(zip(got, [[neutralise(w[0]), *w[1:]] for w in want], strict=False))
                if (row := first_difference(g, w)) is not None
            ]
            if len(got) > len(want):
                differences.append((0, len(want)))  # a column the table does not have
            if differences:
                row, j = min(differences)
                self.problems.append(
                    f"{path.name}: sheet {table.slug} differs from the protected table (row {row + 1}, column {j + 1})"
                )
        for title in sheets:
            self.problems.append(f"{path.name}: sheet {title} was never protected")

    def _check_charts(self, where: str, specs: list[dict], sections) -> None:
        by_id = {s.get("id"): s for s in specs}
        for section in sections:
            for i, _ in enumerate(section.charts):
                spec = by_id.pop(f"chart-{section.id}-{i}", None)
                if spec is None or not _chart_in_table(spec, section.table):
                    self.problems.append(f"{where}: chart {i} of {section.id} is not a column of its table")
        for chart_id in by_id:
            self.problems.append(f"{where}: chart {chart_id} belongs to no published table")

    def check_page(self, page, path: Path, *, files_audited: bool = False) -> None:
        """Check a page's tables against the protected counts, then read its files back. `files_audited`: the
        files are the ones that passed this audit for this very content (taken over from the live site, their
        hashes checked), so their verdict stands and they are not read again."""
        started = time.perf_counter()
        self._check_page(page, path, files_audited)
        self.seconds += time.perf_counter() - started

    def _check_page(self, page, path: Path, files_audited: bool) -> None:
        columns = {}  # each table's download columns: computed once for its CSV and its XLSX sheet
        for table in page.tables:
            self.check_table(page.key, table)
            if not files_audited:
                columns[table.slug] = download_columns(table)
                self._check_csv(self.out_dir / table_csv(page.key, table.slug), columns[table.slug])
        for headline in page.headlines:
            if headline.label == "People served":
                cell = self.counts.get(
                    (SERVED, page.period, "nation")
                    if page.key == "US"
                    else (SERVED, page.period, "state", page.key)
                )
                shows_number = any(ch.isdigit() for ch in str(headline.value))
                if (cell is None and shows_number) or (
                    cell is not None and headline.value != format_cell(cell.shown(), "people")
                ):
                    self.problems.append(f"{path.name}: headline people served is not the protected count")
        if not files_audited:
            self._check_html(path, page.key, page.tables, page.sections)
            self._check_xlsx(self.out_dir / workbook_file(page.key), page.tables, columns)

    def check_no_stray_files(self, written: Iterable[Path]) -> None:
        """Every CSV, XLSX and HTML under the site was checked (or carries no people count: packages.csv)."""
        written = list(written)
        named = {str(p) for p in written}  # the same path as written: the same file, without resolving it
        known: set[Path] | None = None
        for path in self.out_dir.rglob("*"):
            if path.suffix not in (".csv", ".xlsx", ".html") or str(path) in named:
                continue
            known = known if known is not None else {p.resolve() for p in written}
            if path.resolve() not in known:
                self.problems.append(f"{path.relative_to(self.out_dir)} was never checked")


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    return None


def _is_no_data_layer(trace: dict) -> bool:
    """The grey map layer of states without a figure: one constant colour, no scale, so it carries no count."""
    return (
        trace.get("type") == "choropleth"
        and trace.get("name") == NO_DATA_LABEL
        and trace.get("showscale") is False
        and len(set(trace.get("z") or [])) <= 1
    )


def _chart_in_table(spec: dict, table: PublishedTable) -> bool:
    """Every trace of the chart equals one column of the table, matched row by row on the chart's categories."""
    records = table.rows
    for trace in spec.get("data", []):
        if _is_no_data_layer(trace):
            continue
        key_index = 0
        if trace.get("type") == "choropleth":
            labels, values = trace.get("locations") or [], trace.get("z") or []
            key_index = table.header().index("state") if "state" in table.header() else 0
        elif trace.get("orientation") == "h":
            labels, values = trace.get("y") or [], trace.get("x") or []
        else:
            labels, values = trace.get("x") or [], trace.get("y") or []
        by_label = {str(r[key_index]): r for r in records}
        if any(str(label) not in by_label for label in labels):
            return False
        candidates = range(len(table.columns))
        if trace.get("type") == "scatter" and trace.get("name"):
            candidates = [j for j, c in enumerate(table.columns) if c.label == trace["name"]]
        if not any(_column_matches(by_label, labels, values, j) for j in candidates):
            return False
    return True


def _column_matches(by_label: dict, labels: list, values: list, j: int) -> bool:
    for label, value in zip(labels, values, strict=False):
        cell = by_label[str(label)][j]
        expected, got = _number(cell), _number(value)
        if got is None and (expected is None or isinstance(cell, str)):
            continue
        if expected is None or got is None:
            return False
        if not (
            math.isclose(expected, got, rel_tol=1e-9, abs_tol=1e-9)
            or math.isclose(expected * 100, got, rel_tol=1e-9)
        ):
            return False
    return True
