"""An independent check of a published report site for small people counts and recoverable hidden cells.

Written without pipelines.reports so it cannot share a mistake with the code it checks: it reads only the files
a reader gets (HTML tables, CSV and XLSX downloads), the contract's list of people counts, and the public list
of states and their HHS regions.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from openpyxl import load_workbook

from pipelines.contract import load_contract
from pipelines.paths import REFERENCE_DIR

# Figures computed from a people count in the same row (and, for changes, the previous row).
DERIVED_SAME_ROW = {
    "funding_per_participant": ("participants_served",),
    "improved_share": ("respondents", "improved"),
}
DERIVED_CHANGE = {"participants_served_change": "participants_served"}
TOTAL_LABEL = "Total"


@dataclass
class Table:
    source: str
    header: list[str]
    body: list[list[str]]
    total: list[str] | None = None
    slug: str = ""


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    tables_checked: int = 0
    cells_checked: int = 0


def people_columns() -> set[str]:
    return set(load_contract().small_cells["people_counts"])


def small_range() -> tuple[int, int]:
    return 1, int(load_contract().small_cells["threshold"]) - 1


def parse_number(text: str | None) -> float | None:
    if text is None:
        return None
    cleaned = str(text).strip().replace(",", "").replace("$", "").rstrip("%")
    if cleaned == "":
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def is_hidden(text) -> bool:
    return text is not None and str(text).strip() != "" and parse_number(str(text)) is None


# -- readers ------------------------------------------------------------------------------------------------
class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._section = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._header_names: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"slug": attrs.get("data-slug", ""), "header": [], "body": [], "total": None})
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            if self._section == "thead":
                self._header_names.append(attrs.get("data-column", ""))

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            if self._section == "thead":
                table["header"] = self._header_names
                self._header_names = []
            elif self._section == "tfoot":
                table["total"] = self._row
            else:
                table["body"].append(self._row)
            self._row = None
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = None


def read_html_tables(path: Path) -> list[Table]:
    parser = _TableParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return [
        Table(f"{path}#{t['slug']}", t["header"], t["body"], t["total"], t["slug"]) for t in parser.tables
    ]


def _split_total(source: str, rows: list[list[str]], slug: str) -> Table:
    header, body = rows[0], rows[1:]
    total = None
    if body and body[-1] and body[-1][0] == TOTAL_LABEL:
        total = body.pop()
    return Table(source, header, body, total, slug)


def read_csv_table(path: Path) -> Table:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return _split_total(str(path), rows, path.stem)


def read_xlsx_tables(path: Path) -> list[Table]:
    workbook = load_workbook(path, read_only=True)
    tables = []
    for sheet in workbook.worksheets:
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        if rows:
            tables.append(_split_total(f"{path}!{sheet.title}", rows, sheet.title))
    workbook.close()
    return tables


# -- checks ---------------------------------------------------------------------------------------------------
def _bounds(text: str) -> tuple[float, float]:
    lo, hi = small_range()
    if str(text).strip().startswith("<"):
        return float(lo), float(hi)
    return 0.0, math.inf


def pinned(total: str, parts: list[str]) -> list[int]:
    """Indexes (-1 = the total) of hidden cells a reader can work out exactly from total = sum(parts)."""
    terms = [(-1, total, -1.0)] + [(i, p, 1.0) for i, p in enumerate(parts)]
    hidden = [(i, text, a) for i, text, a in terms if is_hidden(text)]
    if not hidden:
        return []
    if len(hidden) == 1:
        return [hidden[0][0]]
    constant = -sum(a * (parse_number(text) or 0.0) for i, text, a in terms if not is_hidden(text))
    found = []
    for i, text, a in hidden:
        lo_rest = sum(min(b * _bounds(t)[0], b * _bounds(t)[1]) for j, t, b in hidden if j != i)
        hi_rest = sum(max(b * _bounds(t)[0], b * _bounds(t)[1]) for j, t, b in hidden if j != i)
        lo, hi = sorted(((constant - hi_rest) / a, (constant - lo_rest) / a))
        lo, hi = max(lo, _bounds(text)[0]), min(hi, _bounds(text)[1])
        if lo == hi:
            found.append(i)
    return found


def check_table(table: Table, report: Report) -> None:
    report.tables_checked += 1
    people = people_columns()
    lo, hi = small_range()
    cols = {name: i for i, name in enumerate(table.header)}
    for row in table.body + ([table.total] if table.total else []):
        for name in people & cols.keys():
            report.cells_checked += 1
            value = parse_number(row[cols[name]])
            if value is not None and lo <= value <= hi:
                report.problems.append(
                    f"{table.source}: {name}={row[cols[name]]!r} is a small count (row {row[0]!r})"
                )
    if table.total:
        for name in people & cols.keys():
            parts = [row[cols[name]] for row in table.body]
            for i in pinned(table.total[cols[name]], parts):
                label = TOTAL_LABEL if i == -1 else table.body[i][0]
                report.problems.append(
                    f"{table.source}: {name} of {label!r} can be worked out from the total"
                )
    for derived, sources in DERIVED_SAME_ROW.items():
        if derived in cols:
            for row in table.body + ([table.total] if table.total else []):
                if (
                    any(s in cols and is_hidden(row[cols[s]]) for s in sources)
                    and parse_number(row[cols[derived]]) is not None
                ):
                    report.problems.append(
                        f"{table.source}: {derived} published for hidden {sources} (row {row[0]!r})"
                    )
    for derived, source in DERIVED_CHANGE.items():
        if derived in cols and source in cols:
            for prev, row in zip(table.body, table.body[1:], strict=False):
                if (is_hidden(prev[cols[source]]) or is_hidden(row[cols[source]])) and parse_number(
                    row[cols[derived]]
                ) is not None:
                    report.problems.append(
                        f"{table.source}: {derived} published next to a hidden {source} (row {row[0]!r})"
                    )


def _regions() -> dict[str, str]:
    with (REFERENCE_DIR / "states.csv").open(newline="", encoding="utf-8") as fh:
        return {r["state"]: r["hhs_region"] for r in csv.DictReader(fh)}


def _column(table: Table, name: str, key_column: str) -> dict[str, str]:
    cols = {n: i for i, n in enumerate(table.header)}
    if name not in cols or key_column not in cols:
        return {}
    return {row[cols[key_column]]: row[cols[name]] for row in table.body}


def check_across_downloads(downloads: Path, report: Report) -> None:
    """National figures that are sums of state figures shown elsewhere: regions, program types, urbanicity, outcomes."""
    national = downloads / "US"
    if not national.is_dir():
        return
    period = read_csv_table(national / "headline.csv").body[0][0]
    state_dirs = [
        d
        for d in sorted(downloads.iterdir())
        if d.is_dir()
        and d.name != "US"
        and (d / "headline.csv").is_file()
        and read_csv_table(d / "headline.csv").body[0][0] == period
    ]
    people = people_columns()
    states = read_csv_table(national / "states.csv")
    regions = read_csv_table(national / "hhs_regions.csv")
    region_of = _regions()
    for name in people & set(states.header):
        by_state = _column(states, name, "state")
        for region, total in _column(regions, name, "hhs_region").items():
            parts = [v for s, v in by_state.items() if region_of.get(s) == region]
            for i in pinned(total, parts):
                report.problems.append(
                    f"{regions.source}: a state's {name} in HHS region {region} can be worked out ({i})"
                )
    for slug, key in (
        ("program_types", "program_type"),
        ("urbanicity", "urbanicity"),
        ("outcomes", "measure"),
    ):
        if not (national / f"{slug}.csv").is_file():
            continue
        nat = read_csv_table(national / f"{slug}.csv")
        state_tables = [
            read_csv_table(d / f"{slug}.csv") for d in state_dirs if (d / f"{slug}.csv").is_file()
        ]
        for name in people & set(nat.header):
            parts_by_key = defaultdict(list)
            for t in state_tables:
                for k, v in _column(t, name, key).items():
                    parts_by_key[k].append(v)
            for k, total in _column(nat, name, key).items():
                for i in pinned(total, parts_by_key.get(k, [])):
                    report.problems.append(f"{nat.source}: a state's {name} for {k} can be worked out ({i})")


def check_site(site: Path) -> Report:
    """Scan every published HTML, CSV and XLSX file of a site."""
    report = Report()
    for path in sorted(site.rglob("*.html")):
        for table in read_html_tables(path):
            check_table(table, report)
    for path in sorted(site.rglob("*.csv")):
        check_table(read_csv_table(path), report)
    for path in sorted(site.rglob("*.xlsx")):
        for table in read_xlsx_tables(path):
            check_table(table, report)
    if (site / "downloads").is_dir():
        check_across_downloads(site / "downloads", report)
    return report
