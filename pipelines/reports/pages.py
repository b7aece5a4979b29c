"""What each report page shows: sections of (title, one-sentence summary, published table, chart spec).

Every people count comes from the suppressed cells (pipelines.reports.cells); nothing here reads an exact
people count for display. Organizations, programs, staff and money are public and read from the marts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipelines.contract import load_contract
from pipelines.ingest.landing import landing_states
from pipelines.reports.cells import IMPROVED, RESPONDENTS, SERVED
from pipelines.reports.data import Landscape
from pipelines.reports.suppression import COMPLEMENTARY_MARK, Published, Suppressed, derived_hidden
from pipelines.reports.tables import NO_VALUE, TOTAL_LABEL, Column, Missing, PublishedTable

URBANICITY_LABELS = {"urban": "Urban", "suburban": "Suburban", "rural": "Rural"}
CLASS_LABELS_FALLBACK = {"peer_run": "Peer-run", "peer_partnered": "Peer-partnered", "other": "Other"}
# Why a figure is missing: each becomes the footnote under the tables that show NO_VALUE for it.
NO_POPULATION = (
    "no population figure in the reference data for this state or territory (the Census county "
    "estimates do not cover it), so no rate per resident"
)
NO_GRANTEES = "no grantee reported, so no share of grantees"
NOBODY_SERVED = "no one reported served, so no amount per person served"
NOT_REPORTED = "not reported: the warehouse holds no figure"
NO_FUNDING = "no funding reported, so no share of funding"
NO_STAFF = "no staff reported, so no share of staff"
NO_RESPONDENTS = "no respondents, so no share improved"
RATES_LEAVE_OUT = (
    "The national rates per resident count only the states and territories with a population figure."
)


@dataclass
class Chart:
    """A chart spec the renderer turns into a Plotly figure; values are already publishable."""

    kind: str  # bar | choropleth | line
    x: list
    y: list
    label: str  # axis / colour-bar label with units
    locations: list | None = None
    series: dict[str, list] | None = None  # line charts: name -> values
    no_data: list | None = None  # map locations without a value: drawn grey, with a legend entry


@dataclass
class Section:
    id: str
    title: str
    table: PublishedTable
    charts: list[Chart] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return self.table.summary


@dataclass
class Headline:
    label: str
    value: str
    change: str


@dataclass
class Page:
    kind: str  # national | state
    key: str  # "US" or the state code
    title: str
    period: str
    previous_period: str | None
    headlines: list[Headline]
    headline_table: PublishedTable
    sections: list[Section]
    packages: int
    as_of: str
    extra_tables: list[PublishedTable] = field(default_factory=list)

    @property
    def tables(self) -> list[PublishedTable]:
        return [self.headline_table, *(s.table for s in self.sections), *self.extra_tables]


def _labels(name: str) -> dict[str, str]:
    return {c.code: c.label for c in load_contract().codes[name]}


def _class_labels() -> dict[str, str]:
    classes = load_contract().peer_run.get("classes", [])
    return {c["code"]: c["label"] for c in classes} or CLASS_LABELS_FALLBACK


def _class_column(frame: pd.DataFrame, code: str) -> str | None:
    """The state_summary column counting one peer-run class (`other` is `other_class` there)."""
    for name in (code, f"{code}_class"):
        if name in frame.columns:
            return name
    return None


def _shown(cell: Published | None):
    return None if cell is None else cell.shown()


def _shown_or(cell: Published | None, reason: str):
    return Missing(reason) if cell is None else cell.shown()


def _value(value) -> float | None:
    """A figure as a float; None when the warehouse holds none (NULL, NaN, pandas NA)."""
    if value is None or isinstance(value, str):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return None
    return float(value)


def _count(value) -> int:
    """A count of organizations, programs or staff: one the warehouse does not hold counts as none."""
    number = _value(value)
    return 0 if number is None else int(number)


def _sum(values) -> float | None:
    """Sum of the figures present; None when every one is missing (an empty list sums to 0)."""
    numbers = [n for n in (_value(v) for v in values) if n is not None]
    if not numbers and len(values):
        return None
    return float(sum(numbers))


def _ratio(numerator, denominator):
    numerator, denominator = _value(numerator), _value(denominator)
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _or_missing(value, reason: str):
    return Missing(reason) if value is None else value


def _chartable(value) -> float | None:
    """What a chart plots for a cell: the number, or nothing for a missing or withheld figure."""
    return None if isinstance(value, Missing | str) else _value(value)


def _difference(now, before) -> float | None:
    now, before = _value(now), _value(before)
    return None if now is None or before is None else now - before


def _served_change(now: Published | None, before: Published | None):
    # Withheld before missing: a change beside a hidden count stays marked as withheld, never blank.
    if any(cell.hidden for cell in (now, before) if cell is not None):
        return COMPLEMENTARY_MARK
    if now is None or before is None:
        return Missing(NOT_REPORTED)
    return now.value - before.value


def _whole(value) -> int | None:
    number = _value(value)
    return None if number is None else int(number)


def _latest_note(status, duplicate_of: int | None) -> str:
    """How the latest version fared, naming the version a duplicate repeats."""
    if status == "duplicate":
        return "a duplicate" if duplicate_of is None else f"a duplicate of version {duplicate_of}"
    return status if isinstance(status, str) else ""


def _hidden_or(cells: tuple, value):
    return COMPLEMENTARY_MARK if derived_hidden(*cells) else value


def _num(value) -> float:
    number = _value(value)
    return 0.0 if number is None else number


def _is_false(value) -> bool:
    """A criterion that is known not to hold (an unknown one is not reported as failed)."""
    return value is not None and not pd.isna(value) and not bool(value)


def _fmt_int(value) -> str:
    number = _value(value)
    return "an unknown number of" if number is None else f"{int(number):,}"


def _fmt_usd(value) -> str:
    number = _value(value)
    return "an unknown amount" if number is None else f"${number:,.0f}"


class PageBuilder:
    """Builds the national page and each state page from the landscape and its suppressed counts."""

    def __init__(self, land: Landscape, counts: Suppressed) -> None:
        self.land = land
        self.counts = counts
        self.state_names = dict(zip(land.dim_state["state"], land.dim_state["state_name"], strict=True))
        self.population = dict(zip(land.dim_state["state"], land.dim_state["population"], strict=True))
        self.regions = dict(zip(land.dim_state["state"], land.dim_state["hhs_region"], strict=True))

    # -- shared helpers -------------------------------------------------------------------------------------
    def _scope(self, frame: pd.DataFrame, state: str | None, period: str) -> pd.DataFrame:
        frame = frame[frame["period"] == period]
        return frame if state is None else frame[frame["state"] == state]

    def _served(self, period: str, state: str | None) -> Published | None:
        key = (SERVED, period, "nation") if state is None else (SERVED, period, "state", state)
        return self.counts.get(key)

    def _packages(self, state: str | None) -> pd.DataFrame:
        frame = self.land.packages
        return frame if state is None else frame[frame["state"] == state]

    def _as_of(self, state: str | None) -> str:
        frame = self._packages(state)
        if frame.empty:
            return "no accepted package"
        return pd.Timestamp(frame["received_at"].max()).strftime("%Y-%m-%d")

    def _place(self, state: str | None) -> str:
        return "the United States" if state is None else self.state_names.get(state, state)

    # -- headline ---------------------------------------------------------------------------------------------
    def _totals(self, period: str, state: str | None) -> dict:
        frame = self._scope(self.land.state_summary, state, period)
        grantees = _count(_sum(frame["grantees"]))
        return {
            "grantees": grantees,
            "peer_run_share": _ratio(_sum(frame["peer_run"]), grantees),
            "programs": _count(_sum(frame["programs"])),
            "served": self._served(period, state),
            "funding": _sum(frame["funding_usd"]),
        }

    def _headline(
        self, period: str, previous: str | None, state: str | None
    ) -> tuple[list[Headline], PublishedTable]:
        now = self._totals(period, state)
        before = self._totals(previous, state) if previous else None
        rows = []
        headlines = []

        def add(label: str, kind: str, value, old, fmt, change_fmt) -> None:
            change = (
                None
                if old is None or value is None or isinstance(value, str) or isinstance(old, str)
                else value - old
            )
            rows.append([label, value, old, change])
            shown = value if isinstance(value, str) else (NO_VALUE if value is None else fmt(value))
            if change is None:
                change_text = "no previous year" if before is None else "change not published"
            else:
                change_text = change_fmt(change) + f" from {previous}"
            headlines.append(Headline(label, shown, change_text))

        add(
            "Grantees", "count", now["grantees"], before and before["grantees"], _fmt_int, lambda c: f"{c:+,}"
        )
        add(
            "Share peer-run",
            "share",
            now["peer_run_share"],
            before and before["peer_run_share"],
            lambda v: f"{v * 100:.1f}%",
            lambda c: f"{c * 100:+.1f} points",
        )
        add(
            "Programs", "count", now["programs"], before and before["programs"], _fmt_int, lambda c: f"{c:+,}"
        )
        served_now = _shown(now["served"])
        served_before = _shown(before["served"]) if before else None
        add("People served", "people", served_now, served_before, _fmt_int, lambda c: f"{c:+,}")
        add(
            "Total funding",
            "usd",
            now["funding"],
            before and before["funding"],
            _fmt_usd,
            lambda c: ("+" if c >= 0 else "-") + _fmt_usd(abs(c)),
        )
        periods = [p for p in (period, previous) if p]
        table_rows = []
        for p in periods:
            t = self._totals(p, state)
            table_rows.append(
                [
                    p,
                    t["grantees"],
                    _or_missing(t["peer_run_share"], NO_GRANTEES),
                    t["programs"],
                    _shown_or(t["served"], NOT_REPORTED),
                    _or_missing(t["funding"], NOT_REPORTED),
                ]
            )
        table = PublishedTable(
            slug="headline",
            sources=("state_summary",),
            title="Headline figures",
            summary=self._headline_sentence(period, state, now),
            units="grantees, programs and people: counts; share of grantees; funding: US dollars",
            columns=[
                Column("period", "Fiscal year"),
                Column("grantees", "Grantees", "count"),
                Column("peer_run_share", "Share peer-run", "share"),
                Column("programs", "Programs", "count"),
                Column(SERVED, "People served", "people"),
                Column("funding_usd", "Total funding (USD)", "usd"),
            ],
            rows=table_rows,
        )
        return headlines, table

    def _headline_sentence(self, period: str, state: str | None, now: dict) -> str:
        served = now["served"]
        if served is None:
            served_text = "reported no count of people served"
        elif served.hidden:
            served_text = "served a number of people too small to publish"
        else:
            served_text = f"served {_fmt_int(served.value)} people"
        return (
            f"In {period}, {_fmt_int(now['grantees'])} grantees in {self._place(state)} ran "
            f"{_fmt_int(now['programs'])} programs, {served_text} and reported "
            f"{_fmt_usd(now['funding'])} in funding."
        )

    # -- sections -----------------------------------------------------------------------------------------------
    def _classes_section(self, period: str, state: str | None) -> Section:
        """Grantees in each of the contract's peer-run classes (organization counts: public)."""
        frame = self._scope(self.land.state_summary, state, period)
        grantees = _sum(frame["grantees"])
        rows = []
        for code, label in _class_labels().items():
            column = _class_column(frame, code)
            count = None if column is None else _sum(frame[column])
            rows.append(
                [
                    label,
                    code,
                    _or_missing(count, NOT_REPORTED),
                    _or_missing(_ratio(count, grantees), NO_GRANTEES),
                ]
            )
        known = [r for r in rows if not isinstance(r[3], Missing)]
        summary = (
            f"In {period}, of {_fmt_int(grantees)} grantees in {self._place(state)}, "
            + ", ".join(f"{_fmt_int(r[2])} were {r[0].lower()} ({r[3] * 100:.1f}%)" for r in known)
            + "."
            if known
            else f"In {period}, no grantee in {self._place(state)} could be classified."
        )
        table = PublishedTable(
            slug="peer_run_classes",
            sources=("state_summary",),
            title="Peer-run classification",
            summary=summary,
            units="grantees: counts; share of grantees",
            columns=[
                Column("class_label", "Class"),
                Column("peer_run_class", "Code"),
                Column("grantees", "Grantees", "count"),
                Column("share", "Share of grantees", "share"),
            ],
            rows=rows,
            total=[TOTAL_LABEL, "", _count(grantees), 1.0 if grantees else Missing(NO_GRANTEES)],
            note="Classes follow the contract's five criteria; see the methodology page.",
        )
        chart = Chart("bar", [r[0] for r in rows], [_chartable(r[2]) for r in rows], "Grantees")
        return Section("peer-run-classes", "Peer-run classification", table, [chart])

    def _without(self, locations: list[str], values: list) -> list[str]:
        """Every jurisdiction a landing tree may hold (50 states, DC, PR) that has no value on a map."""
        valued = {loc for loc, value in zip(locations, values, strict=True) if value is not None}
        return [state for state in sorted(landing_states()) if state not in valued]

    def _states_section(self, period: str) -> Section:
        frame = self._scope(self.land.state_summary, None, period)
        frame = frame.assign(sort_name=[self.state_names.get(s, s) for s in frame["state"]])
        frame = frame.sort_values(["sort_name", "state"])
        rows, links, locs, per_100k, per_resident = [], {}, [], [], []
        for i, r in enumerate(frame.itertuples()):
            served = self.counts.get((SERVED, period, "state", r.state))
            pop = _value(self.population.get(r.state))
            no_rate = NO_POPULATION if pop is None or pop == 0 else NOT_REPORTED
            g100k = _ratio(_count(r.grantees) * 100_000, pop)
            fpr = _ratio(r.funding_usd, pop)
            served_value = None if served is None else served.value
            rows.append(
                [
                    r.sort_name,
                    r.state,
                    _count(r.grantees),
                    _or_missing(_ratio(r.peer_run, r.grantees), NO_GRANTEES),
                    _or_missing(g100k, no_rate),
                    _count(r.programs),
                    _shown_or(served, NOT_REPORTED),
                    _or_missing(_value(r.funding_usd), NOT_REPORTED),
                    _or_missing(fpr, NO_POPULATION if pop is None or pop == 0 else NOT_REPORTED),
                    _hidden_or(
                        (served,) if served is not None else (),
                        _or_missing(_ratio(r.funding_usd, served_value), NOBODY_SERVED),
                    ),
                ]
            )
            links[i] = f"states/{r.state}.html"
            locs.append(r.state)
            per_100k.append(g100k)
            per_resident.append(fpr)
        nation = self.counts.get((SERVED, period, "nation"))
        with_population = frame[[_value(self.population.get(s)) not in (None, 0) for s in frame["state"]]]
        pop_total = _sum([self.population.get(s) for s in with_population["state"]])
        grantees_total = _sum(frame["grantees"])
        funding_total = _sum(frame["funding_usd"])
        total = [
            TOTAL_LABEL,
            "",
            _count(grantees_total),
            _or_missing(_ratio(_sum(frame["peer_run"]), grantees_total), NO_GRANTEES),
            _or_missing(
                _ratio(_count(_sum(with_population["grantees"])) * 100_000, pop_total), NO_POPULATION
            ),
            _count(_sum(frame["programs"])),
            _shown_or(nation, NOT_REPORTED),
            _or_missing(funding_total, NOT_REPORTED),
            _or_missing(_ratio(_sum(with_population["funding_usd"]), pop_total), NO_POPULATION),
            _hidden_or(
                (nation,) if nation is not None else (),
                _or_missing(_ratio(funding_total, None if nation is None else nation.value), NOBODY_SERVED),
            ),
        ]
        rated = sorted(
            (-rate, self.state_names.get(st, st)) for st, rate in zip(locs, per_100k, strict=True) if rate
        )
        summary = f"In {period}, {len(frame)} states and territories reported grantees" + (
            f"; {rated[0][1]} had the most per resident ({-rated[0][0]:.2f} grantees per 100,000 residents)."
            if rated
            else "."
        )
        table = PublishedTable(
            slug="states",
            sources=("state_summary", "dim_state"),
            title="Grantees, programs, people served and funding by state",
            summary=summary,
            units="counts; grantees per 100,000 residents; US dollars; dollars per resident; dollars per person served",
            columns=[
                Column("state_name", "State"),
                Column("state", "Code"),
                Column("grantees", "Grantees", "count"),
                Column("peer_run_share", "Share peer-run", "share"),
                Column("grantees_per_100k", "Grantees per 100,000 residents", "ratio"),
                Column("programs", "Programs", "count"),
                Column(SERVED, "People served", "people"),
                Column("funding_usd", "Funding (USD)", "usd"),
                Column("funding_per_resident", "Funding per resident (USD)", "usd_ratio"),
                Column("funding_per_participant", "Funding per person served (USD)", "usd_ratio"),
            ],
            rows=rows,
            total=total,
            links=links,
            note=RATES_LEAVE_OUT if len(with_population) < len(frame) else "",
        )
        charts = [
            Chart("choropleth", [], values, label, locations=locs, no_data=self._without(locs, values))
            for values, label in (
                (per_100k, "Grantees per 100,000 residents"),
                (per_resident, "Funding per resident (USD)"),
            )
        ]
        return Section("states", "State map and table of states", table, charts)

    def _types_section(self, period: str, state: str | None) -> Section:
        labels = _labels("program_type")
        frame = self._scope(self.land.programs_by_type, state, period)
        agg = (
            frame.groupby("program_type")
            .agg(programs=("programs", "sum"), grantees=("grantees", "sum"))
            .reset_index()
        )
        agg = agg.sort_values(["programs", "program_type"], ascending=[False, True])
        rows = []
        for r in agg.itertuples():
            key = (
                (SERVED, period, "type", r.program_type)
                if state is None
                else (SERVED, period, "state_type", state, r.program_type)
            )
            rows.append(
                [
                    labels.get(r.program_type, r.program_type),
                    r.program_type,
                    _count(r.programs),
                    _shown_or(self.counts.get(key), NOT_REPORTED),
                ]
            )
        total = [
            TOTAL_LABEL,
            "",
            _count(_sum(agg["programs"])),
            _shown_or(self._served(period, state), NOT_REPORTED),
        ]
        lead = agg.iloc[0] if len(agg) else None
        summary = (
            (
                f"In {period}, {self._place(state)} had {_fmt_int(_sum(agg['programs']))} programs of "
                f"{len(agg)} types; the most common was {labels.get(lead['program_type'], lead['program_type'])} "
                f"({_fmt_int(lead['programs'])} programs)."
            )
            if lead is not None
            else f"No programs in {period}."
        )
        table = PublishedTable(
            slug="program_types",
            sources=("programs_by_type",),
            title="Program-type mix",
            summary=summary,
            units="programs and people: counts",
            columns=[
                Column("program_type_label", "Program type"),
                Column("program_type", "Code"),
                Column("programs", "Programs", "count"),
                Column(SERVED, "People served", "people"),
            ],
            rows=rows,
            total=total,
        )
        chart = Chart("bar", [r[0] for r in rows], [r[2] for r in rows], "Programs")
        return Section("program-types", "Program-type mix", table, [chart])

    def _funding_sections(self, period: str, state: str | None) -> list[Section]:
        labels = _labels("funding_source")
        cat_labels = {c.code: c.label for c in load_contract().funding_categories}
        frame = self._scope(self.land.funding_by_source, state, period)
        total_usd = _sum(frame["amount_usd"])
        by_source = (
            frame.groupby(["funding_source", "funding_category"], dropna=False)["amount_usd"]
            .sum(min_count=1)
            .reset_index()
            .sort_values(["amount_usd", "funding_source"], ascending=[False, True], na_position="last")
        )
        rows = [
            [
                labels.get(r.funding_source, r.funding_source),
                r.funding_source,
                cat_labels.get(r.funding_category, r.funding_category or ""),
                _or_missing(_value(r.amount_usd), NOT_REPORTED),
                _or_missing(_ratio(r.amount_usd, total_usd), NO_FUNDING),
            ]
            for r in by_source.itertuples()
        ]
        lead = rows[0] if rows and not isinstance(rows[0][3], Missing) else None
        summary = (
            (
                f"In {period}, grantees in {self._place(state)} reported {_fmt_usd(total_usd)} from "
                f"{len(rows)} sources; the largest was {lead[0]} ({_fmt_usd(lead[3])})."
            )
            if lead
            else "No funding reported."
        )
        source_table = PublishedTable(
            slug="funding_by_source",
            sources=("funding_by_source",),
            title="Funding by source",
            summary=summary,
            units="US dollars; share of total",
            columns=[
                Column("funding_source_label", "Source"),
                Column("funding_source", "Code"),
                Column("funding_category", "Category"),
                Column("amount_usd", "Amount (USD)", "usd"),
                Column("share", "Share of funding", "share"),
            ],
            rows=rows,
            total=[
                TOTAL_LABEL,
                "",
                "",
                _or_missing(total_usd, NOT_REPORTED),
                1.0 if total_usd else Missing(NO_FUNDING),
            ],
        )
        by_cat = (
            frame.groupby("funding_category")["amount_usd"]
            .sum(min_count=1)
            .reindex([c.code for c in load_contract().funding_categories])
            .rename("amount_usd")
            .rename_axis("funding_category")
            .reset_index()
        )
        cat_rows = [
            [
                cat_labels[r.funding_category],
                r.funding_category,
                _num(r.amount_usd),
                _or_missing(_ratio(_num(r.amount_usd), total_usd), NO_FUNDING),
            ]
            for r in by_cat.itertuples()
        ]
        fed = next((r for r in cat_rows if r[1] == "federal"), None)
        cat_summary = (
            (
                f"In {period}, federal sources made up {fed[3] * 100:.1f}% of the {_fmt_usd(total_usd)} "
                f"reported in {self._place(state)}."
            )
            if fed and not isinstance(fed[3], Missing)
            else "No funding reported."
        )
        cat_table = PublishedTable(
            slug="funding_by_category",
            sources=("funding_by_source",),
            title="Funding by category",
            summary=cat_summary,
            units="US dollars; share of total",
            columns=[
                Column("funding_category_label", "Category"),
                Column("funding_category", "Code"),
                Column("amount_usd", "Amount (USD)", "usd"),
                Column("share", "Share of funding", "share"),
            ],
            rows=cat_rows,
            total=[
                TOTAL_LABEL,
                "",
                _or_missing(total_usd, NOT_REPORTED),
                1.0 if total_usd else Missing(NO_FUNDING),
            ],
        )
        return [
            Section(
                "funding-source",
                "Funding by source",
                source_table,
                [Chart("bar", [r[0] for r in rows], [_chartable(r[3]) for r in rows], "Funding (USD)")],
            ),
            Section(
                "funding-category",
                "Funding by category",
                cat_table,
                [Chart("bar", [r[0] for r in cat_rows], [r[2] for r in cat_rows], "Funding (USD)")],
            ),
        ]

    def _regions_section(self, period: str) -> Section:
        frame = self._scope(self.land.state_summary, None, period)
        agg = (
            frame.groupby("hhs_region", dropna=True)
            .agg(
                states=("state", "nunique"),
                grantees=("grantees", "sum"),
                programs=("programs", "sum"),
                funding_usd=("funding_usd", "sum"),
            )
            .reset_index()
        )
        agg["order"] = [_value(pd.to_numeric(r, errors="coerce")) or 99 for r in agg["hhs_region"]]
        agg = agg.sort_values(["order", "hhs_region"])
        rows = [
            [
                f"Region {r.hhs_region}",
                r.hhs_region,
                _count(r.states),
                _count(r.grantees),
                _count(r.programs),
                _shown_or(self.counts.get((SERVED, period, "hhs", r.hhs_region)), NOT_REPORTED),
                _num(r.funding_usd),
            ]
            for r in agg.itertuples()
        ]
        total = [
            TOTAL_LABEL,
            "",
            _count(_sum(agg["states"])),
            _count(_sum(agg["grantees"])),
            _count(_sum(agg["programs"])),
            _shown_or(self._served(period, None), NOT_REPORTED),
            _or_missing(_sum(frame["funding_usd"]), NOT_REPORTED),
        ]
        lead = min(rows, key=lambda r: (-r[3], r[1])) if rows else None
        summary = (
            f"In {period}, grantees reported from {len(rows)} HHS regions; {lead[0]} had the most "
            f"({_fmt_int(lead[3])} grantees)."
            if lead
            else f"In {period}, no grantee reported from a known HHS region."
        )
        table = PublishedTable(
            slug="hhs_regions",
            sources=("state_summary",),
            title="HHS-region comparison",
            summary=summary,
            units="counts; US dollars",
            columns=[
                Column("region_label", "HHS region"),
                Column("hhs_region", "Region"),
                Column("states", "States", "count"),
                Column("grantees", "Grantees", "count"),
                Column("programs", "Programs", "count"),
                Column(SERVED, "People served", "people"),
                Column("funding_usd", "Funding (USD)", "usd"),
            ],
            rows=rows,
            total=total,
        )
        return Section(
            "hhs-regions",
            "HHS-region comparison",
            table,
            [Chart("bar", [r[0] for r in rows], [r[3] for r in rows], "Grantees")],
        )

    def _urbanicity_section(self, period: str, state: str | None) -> Section:
        # Nationally only programs: people served by urbanicity across states would cross the state and
        # program-type tables (see the methodology page, "Small cells").
        people = state is not None
        frame = self._scope(self.land.county_mix, state, period)
        agg = (
            frame.groupby("urbanicity")
            .agg(programs=("programs", "sum"))
            .reindex(list(URBANICITY_LABELS), fill_value=0)
        )
        rows = []
        for urb, r in agg.iterrows():
            row = [URBANICITY_LABELS[urb], urb, _count(r["programs"])]
            if people:
                cell = self.counts.get((SERVED, period, "state_urb", state, urb))
                row.append(0 if cell is None else cell.shown())
            rows.append(row)
        programs = _count(_sum(agg["programs"]))
        total = [TOTAL_LABEL, "", programs]
        if people:
            total.append(_shown_or(self._served(period, state), NOT_REPORTED))
        total_programs = max(programs, 1)
        rural = next(r for r in rows if r[1] == "rural")
        summary = (
            f"In {period}, {rural[2] / total_programs * 100:.0f}% of programs in {self._place(state)} "
            f"({_fmt_int(rural[2])} of {_fmt_int(programs)}) were delivered in rural counties."
        )
        table = PublishedTable(
            slug="urbanicity",
            sources=("county_mix",),
            title="Urban, suburban and rural mix",
            summary=summary,
            units=(
                f"{'programs and people' if people else 'programs'}: counts "
                "(by the urbanicity of the county where the program is delivered)"
            ),
            columns=[
                Column("urbanicity_label", "Urbanicity"),
                Column("urbanicity", "Code"),
                Column("programs", "Programs", "count"),
                *([Column(SERVED, "People served", "people")] if people else []),
            ],
            rows=rows,
            total=total,
            note=""
            if people
            else "People served by urbanicity are on each state page; nationally they are not published "
            "(see the methodology page).",
        )
        return Section(
            "urbanicity",
            "Urban, suburban and rural mix",
            table,
            [Chart("bar", [r[0] for r in rows], [r[2] for r in rows], "Programs")],
        )

    def _counties_section(self, period: str, state: str) -> Section:
        frame = self._scope(self.land.county_mix, state, period).sort_values("county_fips")
        rows = [
            [
                r.county_name if isinstance(r.county_name, str) else r.county_fips,
                r.county_fips,
                URBANICITY_LABELS.get(r.urbanicity, r.urbanicity or ""),
                _count(r.grantees),
                _count(r.programs),
                _shown_or(self.counts.get((SERVED, period, "county", state, r.county_fips)), NOT_REPORTED),
            ]
            for r in frame.itertuples()
        ]
        total = [
            TOTAL_LABEL,
            "",
            "",
            None,
            _count(_sum(frame["programs"])),
            _shown_or(self._served(period, state), NOT_REPORTED),
        ]
        lead = min(rows, key=lambda r: (-r[4], r[1])) if rows else None
        summary = (
            f"In {period}, programs in {self._place(state)} were delivered in {len(rows)} counties; "
            f"{lead[0]} had the most ({_fmt_int(lead[4])} programs)."
            if lead
            else f"No programs in {period}."
        )
        table = PublishedTable(
            slug="counties",
            sources=("county_mix",),
            title="Counties",
            summary=summary,
            units="counts",
            columns=[
                Column("county_name", "County"),
                Column("county_fips", "FIPS"),
                Column("urbanicity", "Urbanicity"),
                Column("grantees", "Grantees with a program there", "count"),
                Column("programs", "Programs", "count"),
                Column(SERVED, "People served", "people"),
            ],
            rows=rows,
            total=total,
            note="Grantees are not totalled: one grantee can run programs in several counties.",
        )
        return Section(
            "counties",
            "Counties",
            table,
            [Chart("bar", [r[0] for r in rows], [r[4] for r in rows], "Programs")],
        )

    def _workforce_section(self, period: str, state: str | None) -> Section:
        labels = _labels("role")
        frame = self._scope(self.land.workforce_summary, state, period)
        agg = frame.groupby("role").agg(
            headcount=("headcount", "sum"),
            lived=("lived_experience_count", "sum"),
            certified=("certified_count", "sum"),
            fte=("fte", "sum"),
        )
        agg = agg.reindex([r for r in labels if r in agg.index])
        rows = [
            [
                labels[role],
                role,
                _count(r["headcount"]),
                _count(r["lived"]),
                _or_missing(_ratio(r["lived"], r["headcount"]), NO_STAFF),
                _count(r["certified"]),
                round(_num(r["fte"]), 2),
            ]
            for role, r in agg.iterrows()
        ]
        head = _count(_sum(agg["headcount"]))
        lived = _count(_sum(agg["lived"]))
        share = _ratio(lived, head)
        total = [
            TOTAL_LABEL,
            "",
            head,
            lived,
            _or_missing(share, NO_STAFF),
            _count(_sum(agg["certified"])),
            round(_num(_sum(agg["fte"])), 2),
        ]
        summary = (
            f"In {period}, {_fmt_int(lived)} of {_fmt_int(head)} staff and volunteers in {self._place(state)} "
            f"({share * 100:.1f}%) have lived experience of mental health services."
            if share is not None
            else f"In {period}, no staff or volunteers were reported in {self._place(state)}."
        )
        table = PublishedTable(
            slug="workforce",
            sources=("workforce_summary",),
            title="Peer workforce",
            summary=summary,
            units="staff counts (public: not people served); share of headcount; full-time equivalents",
            columns=[
                Column("role_label", "Role"),
                Column("role", "Code"),
                Column("headcount", "Headcount", "count"),
                Column("lived_experience_count", "With lived experience", "count"),
                Column("lived_experience_share", "Share with lived experience", "share"),
                Column("certified_count", "Certified peer specialists", "count"),
                Column("fte", "FTE", "ratio"),
            ],
            rows=rows,
            total=total,
        )
        return Section(
            "workforce",
            "Peer workforce",
            table,
            [Chart("bar", [r[0] for r in rows], [r[2] for r in rows], "Headcount")],
        )

    def _outcomes_section(self, period: str, state: str | None) -> Section:
        labels = _labels("measure")
        frame = self._scope(self.land.outcomes_summary, state, period)
        rows = []
        for measure in [m for m in labels if m in set(frame["measure"])]:
            scope = ("outcome", measure) if state is None else ("state_outcome", state, measure)
            resp = self.counts.get((RESPONDENTS, period, *scope))
            imp = self.counts.get((IMPROVED, period, *scope))
            if resp is None or imp is None:
                continue
            rows.append(
                [
                    labels[measure],
                    measure,
                    resp.shown(),
                    imp.shown(),
                    _hidden_or((resp, imp), _or_missing(_ratio(imp.value, resp.value), NO_RESPONDENTS)),
                ]
            )
        shown = [r for r in rows if isinstance(r[4], float)]
        if not rows:
            summary = f"In {period}, no outcome measure was reported in {self._place(state)}."
        elif shown:
            best = max(shown, key=lambda r: (r[4], r[1]))
            summary = (
                f"In {period}, {len(rows)} outcome measures were reported in {self._place(state)}; the highest "
                f"published share improving was {best[0]} ({best[4] * 100:.1f}%)."
            )
        else:
            summary = f"In {period}, no outcome share in {self._place(state)} is large enough to publish."
        table = PublishedTable(
            slug="outcomes",
            sources=("outcomes_summary",),
            title="Outcomes",
            summary=summary,
            units="people: counts; share of respondents who improved",
            columns=[
                Column("measure_label", "Measure"),
                Column("measure", "Code"),
                Column(RESPONDENTS, "Respondents", "people"),
                Column(IMPROVED, "Improved", "people"),
                Column("improved_share", "Share improved", "share"),
            ],
            rows=rows,
            note="Measures overlap (one person can answer several), so they are not totalled.",
        )
        chart = Chart("bar", [r[0] for r in shown], [r[4] * 100 for r in shown], "Share improved (%)")
        return Section("outcomes", "Outcomes", table, [chart])

    def _trend_section(self, state: str | None) -> Section:
        periods = self.land.periods if state is None else self.land.state_periods(state)
        rows, prev = [], None
        for period in periods:
            t = self._totals(period, state)
            served = t["served"]
            row = [
                period,
                t["grantees"],
                t["programs"],
                _shown_or(served, NOT_REPORTED),
                _or_missing(t["funding"], NOT_REPORTED),
            ]
            if prev is None:
                row += [None, None, None, None]
            else:
                row += [
                    t["grantees"] - prev["grantees"],
                    t["programs"] - prev["programs"],
                    _served_change(served, prev["served"]),
                    _or_missing(_difference(t["funding"], prev["funding"]), NOT_REPORTED),
                ]
            rows.append(row)
            prev = t
        first, last = rows[0], rows[-1]
        summary = (
            f"From {first[0]} to {last[0]}, grantees in {self._place(state)} went from {_fmt_int(first[1])} to "
            f"{_fmt_int(last[1])} and funding from {_fmt_usd(_chartable(first[4]))} to "
            f"{_fmt_usd(_chartable(last[4]))}."
        )
        table = PublishedTable(
            slug="trend",
            sources=("state_summary",),
            title="Trend across fiscal years",
            summary=summary,
            units="counts; US dollars; change from the previous FY",
            columns=[
                Column("period", "Fiscal year"),
                Column("grantees", "Grantees", "count"),
                Column("programs", "Programs", "count"),
                Column(SERVED, "People served", "people"),
                Column("funding_usd", "Funding (USD)", "usd"),
                Column("grantees_change", "Change in grantees", "count"),
                Column("programs_change", "Change in programs", "count"),
                Column("participants_served_change", "Change in people served", "count"),
                Column("funding_change", "Change in funding (USD)", "usd"),
            ],
            rows=rows,
        )
        chart = Chart(
            "line",
            [r[0] for r in rows],
            [],
            "Count",
            series={"Grantees": [r[1] for r in rows], "Programs": [r[2] for r in rows]},
        )
        return Section("trend", "Trend across fiscal years", table, [chart])

    # -- state-only tables ------------------------------------------------------------------------------------
    def _grantees_table(self, period: str, state: str) -> PublishedTable:
        types = _labels("program_type")
        classes = _class_labels()
        criteria = [c["name"] for c in load_contract().peer_run["criteria"]]
        frame = self._scope(self.land.grantee_programs, state, period)
        rows = []
        for r in frame.itertuples():
            failed = [c for c in criteria if _is_false(getattr(r, c, None))]
            rows.append(
                [
                    r.organization_name,
                    r.grantee_id,
                    classes.get(r.peer_run_class, r.peer_run_class),
                    ", ".join(failed) or "none",
                    r.program_name if isinstance(r.program_name, str) else "",
                    types.get(r.program_type, r.program_type) if isinstance(r.program_type, str) else "",
                    r.program_county_name if isinstance(r.program_county_name, str) else "",
                ]
            )
        n = frame["grantee_id"].nunique()
        summary = (
            f"In {period}, {_fmt_int(n)} grantees in {self._place(state)} reported "
            f"{_fmt_int(frame['program_id'].notna().sum())} programs."
        )
        return PublishedTable(
            slug="grantees",
            sources=("grantee_programs",),
            title="Grantees and their programs",
            summary=summary,
            units="one row per program",
            columns=[
                Column("organization_name", "Organization"),
                Column("grantee_id", "Grantee id"),
                Column("peer_run_class", "Classification"),
                Column("criteria_failed", "Peer-run criteria not met"),
                Column("program_name", "Program"),
                Column("program_type", "Program type"),
                Column("county", "County"),
            ],
            rows=rows,
        )

    def _status_table(self, period: str, state: str) -> PublishedTable:
        frame = self._scope(self.land.submission_status, state, period)
        rows = [
            [
                r.organization_name if isinstance(r.organization_name, str) else "",
                r.grantee_id,
                r.status,
                _whole(r.error_count),
                _whole(r.current_version),
                _whole(r.latest_version),
                _latest_note(r.latest_status, _whole(r.latest_duplicate_of)),
                ""
                if pd.isna(r.latest_received_at)
                else pd.Timestamp(r.latest_received_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for r in frame.itertuples()
        ]
        accepted = sum(1 for r in rows if r[2] == "accepted")
        summary = f"For {period}, {accepted} of {len(rows)} expected or received grantees in {self._place(state)} have an accepted package."
        return PublishedTable(
            slug="submission_status",
            sources=("submission_status",),
            title="Submission status",
            summary=summary,
            units="counts of findings; version numbers",
            columns=[
                Column("organization_name", "Organization"),
                Column("grantee_id", "Grantee id"),
                Column("status", "Status"),
                Column("error_count", "Errors", "count"),
                Column("current_version", "Current version", "count"),
                Column("latest_version", "Latest version received", "count"),
                Column("latest_version_note", "Latest version was"),
                Column("latest_received_at", "Latest received"),
            ],
            rows=rows,
            note="The current version is the one the figures use: the latest accepted version. A version "
            "identical to an earlier one is a duplicate and changes nothing.",
        )

    # -- pages ----------------------------------------------------------------------------------------------------
    def _previous(self, periods: list[str], period: str) -> str | None:
        i = periods.index(period)
        return periods[i - 1] if i > 0 else None

    def national(self) -> Page:
        period = self.land.periods[-1]
        previous = self._previous(self.land.periods, period)
        headlines, headline_table = self._headline(period, previous, None)
        sections = [
            self._states_section(period),
            self._classes_section(period, None),
            self._types_section(period, None),
            *self._funding_sections(period, None),
            self._regions_section(period),
            self._urbanicity_section(period, None),
            self._workforce_section(period, None),
            self._outcomes_section(period, None),
            self._trend_section(None),
        ]
        return Page(
            "national",
            "US",
            f"Peer-support landscape, United States, {period}",
            period,
            previous,
            headlines,
            headline_table,
            sections,
            len(self._packages(None)),
            self._as_of(None),
        )

    def state(self, state: str) -> Page:
        periods = self.land.state_periods(state)
        period = periods[-1]
        previous = self._previous(periods, period)
        headlines, headline_table = self._headline(period, previous, state)
        sections = [
            self._classes_section(period, state),
            self._counties_section(period, state),
            self._urbanicity_section(period, state),
            self._types_section(period, state),
            *self._funding_sections(period, state),
            self._workforce_section(period, state),
            self._outcomes_section(period, state),
            self._trend_section(state),
        ]
        extra = [self._grantees_table(period, state), self._status_table(period, state)]
        return Page(
            "state",
            state,
            f"Peer-support landscape, {self._place(state)}, {period}",
            period,
            previous,
            headlines,
            headline_table,
            sections,
            len(self._packages(state)),
            self._as_of(state),
            extra,
        )
