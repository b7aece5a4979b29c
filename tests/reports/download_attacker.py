"""An independent attacker of a report site: reads only the CSV downloads a reader gets and solves them.

Written without pipelines.reports (the reference list of states and their HHS regions is public): every
people count becomes a variable named by what it counts; every relation a reader can see becomes an equation
(table totals; a state's counties, urbanicity groups and program types all sum to the state; national tables
sum the states; the program list says which programs, of which type, make up each county); `<11` is 1..10,
`*` 11 or more (the methodology page says so), improved is at most respondents, counts are whole and never
negative. lp_attacker then gives each hidden count's interval.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

from lp_attacker import solve_intervals

from pipelines.paths import REFERENCE_DIR

SHOWN_AS, MARK, THRESHOLD = "<11", "*", 11


def _rows(path: Path) -> tuple[list[dict], dict | None]:
    if not path.is_file():
        return [], None
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    first = next(iter(rows[0])) if rows else None
    total = rows.pop() if rows and rows[-1][first] == "Total" else None
    return rows, total


def _regions() -> dict[str, str]:
    with (REFERENCE_DIR / "states.csv").open(newline="", encoding="utf-8") as fh:
        return {r["state"]: r["hhs_region"] for r in csv.DictReader(fh)}


class Reader:
    def __init__(self) -> None:
        self.known: dict = {}
        self.hidden: dict = {}
        self.unknowns: set = set()
        self.relations: list = []
        self.contradictions: list[str] = []

    def see(self, var, text: str | None) -> None:
        text = (text or "").strip()
        if text == SHOWN_AS:
            self.hidden[var] = (1, THRESHOLD - 1)
        elif text == MARK:
            self.hidden[var] = (THRESHOLD, math.inf)
        elif text:
            value = int(float(text))
            if self.known.setdefault(var, value) != value:
                self.contradictions.append(f"{var}: {self.known[var]} and {value}")

    def relate(self, total, parts: list) -> None:
        if parts:
            self.relations.append((total, tuple(parts)))

    def exposures(self) -> list[tuple]:
        """(variable, low, high) of hidden counts pinned, or narrowed beyond what the marks alone allow."""
        shown_elsewhere = [(v, self.known[v], self.known[v]) for v in self.hidden if v in self.known]
        if shown_elsewhere:
            return shown_elsewhere  # hidden in one table, a number in another
        named = {k for total, parts in self.relations for k in (total, *parts)}
        self.unknowns |= named - set(self.known) - set(self.hidden)  # in a relation, shown nowhere
        found = solve_intervals(self.known, self.hidden, self.unknowns, self.relations)
        narrowed = {
            k: v
            for k, v in found.items()
            if v[0] == v[1] or (self.hidden[k][1] == THRESHOLD - 1 and (v[0] > 1 or v[1] < THRESHOLD - 1))
        }
        if not narrowed:
            return []
        marks_only = dict(self.hidden)
        marks_only |= {k: (THRESHOLD, math.inf) for k, v in self.known.items() if v != 0}
        zeros = {k: v for k, v in self.known.items() if v == 0}
        allowed = solve_intervals(zeros, marks_only, self.unknowns, self.relations)
        return [
            (k, lo, hi)
            for k, (lo, hi) in sorted(narrowed.items(), key=repr)
            if lo == hi or lo > allowed[k][0] or hi < allowed[k][1]
        ]


def _state(reader: Reader, folder: Path) -> str:
    st = folder.name
    headline, _ = _rows(folder / "headline.csv")
    period = headline[0]["period"]
    total = ("S", st, period)
    for row in headline:
        reader.see(("S", st, row["period"]), row["participants_served"])
    for row in _rows(folder / "trend.csv")[0]:
        reader.see(("S", st, row["period"]), row["participants_served"])
    counties, county_total = _rows(folder / "counties.csv")
    fips_of = {r["county_name"]: r["county_fips"] for r in counties}
    by_urb_label = defaultdict(list)
    for r in counties:
        reader.see(("county", st, r["county_fips"]), r["participants_served"])
        by_urb_label[r["urbanicity"]].append(("county", st, r["county_fips"]))
    if county_total:
        reader.see(total, county_total["participants_served"])
    reader.relate(total, [("county", st, r["county_fips"]) for r in counties])
    urbs, urb_total = _rows(folder / "urbanicity.csv")
    for r in urbs:
        reader.see(("urb", st, r["urbanicity"]), r["participants_served"])
        reader.relate(("urb", st, r["urbanicity"]), by_urb_label.get(r["urbanicity_label"], []))
    if urb_total:
        reader.see(total, urb_total["participants_served"])
    reader.relate(total, [("urb", st, r["urbanicity"]) for r in urbs])
    types, type_total = _rows(folder / "program_types.csv")
    code_of = {r["program_type_label"]: r["program_type"] for r in types}
    for r in types:
        reader.see(("stype", st, r["program_type"]), r["participants_served"])
    if type_total:
        reader.see(total, type_total["participants_served"])
    reader.relate(total, [("stype", st, r["program_type"]) for r in types])
    atoms_by_county, atoms_by_type = defaultdict(set), defaultdict(set)
    for r in _rows(folder / "grantees.csv")[0]:
        if r["program_name"]:
            atom = ("atom", st, r["county"], r["program_type"])
            reader.unknowns.add(atom)
            atoms_by_county[fips_of[r["county"]]].add(atom)
            atoms_by_type[code_of[r["program_type"]]].add(atom)
    for fips, atoms in atoms_by_county.items():
        reader.relate(("county", st, fips), sorted(atoms))
    for code, atoms in atoms_by_type.items():
        reader.relate(("stype", st, code), sorted(atoms))
    for r in _rows(folder / "outcomes.csv")[0]:
        resp, imp, slack = ("resp", st, r["measure"]), ("imp", st, r["measure"]), ("slack", st, r["measure"])
        reader.see(resp, r["respondents"])
        reader.see(imp, r["improved"])
        reader.unknowns.add(slack)
        reader.relate(resp, [imp, slack])
    return period


def read_site(site: Path) -> Reader:
    reader = Reader()
    downloads = site / "downloads"
    detail = {d.name: _state(reader, d) for d in sorted(downloads.iterdir()) if d.is_dir() and d.name != "US"}
    national = downloads / "US"
    period = _rows(national / "headline.csv")[0][0]["period"]
    nation = ("N", period)
    trend_states = defaultdict(list)
    for var in list(reader.known) + list(reader.hidden):
        if var[0] == "S":
            trend_states[var[2]].append(var)
    for row in _rows(national / "trend.csv")[0] + _rows(national / "headline.csv")[0]:
        reader.see(("N", row["period"]), row["participants_served"])
    for p, parts in trend_states.items():
        reader.relate(("N", p), sorted(set(parts)))
    states, states_total = _rows(national / "states.csv")
    for r in states:
        reader.see(("S", r["state"], period), r["participants_served"])
    if states_total:
        reader.see(nation, states_total["participants_served"])
    regions = _regions()
    hhs, hhs_total = _rows(national / "hhs_regions.csv")
    for r in hhs:
        reader.see(("hhs", r["hhs_region"]), r["participants_served"])
        reader.relate(
            ("hhs", r["hhs_region"]),
            [("S", s["state"], period) for s in states if regions[s["state"]] == r["hhs_region"]],
        )
    if hhs_total:
        reader.see(nation, hhs_total["participants_served"])
    reader.relate(nation, [("hhs", r["hhs_region"]) for r in hhs])
    here = [st for st, p in detail.items() if p == period]
    types, type_total = _rows(national / "program_types.csv")
    for r in types:
        code = r["program_type"]
        reader.see(("type", code), r["participants_served"])
        parts = [
            ("stype", st, code) for st in here if ("stype", st, code) in {**reader.known, **reader.hidden}
        ]
        reader.relate(("type", code), parts)
    if type_total:
        reader.see(nation, type_total["participants_served"])
    reader.relate(nation, [("type", r["program_type"]) for r in types])
    urbs, _ = _rows(national / "urbanicity.csv")
    for r in urbs:
        if "participants_served" in r:
            reader.see(("urb_n", r["urbanicity"]), r["participants_served"])
            reader.relate(("urb_n", r["urbanicity"]), [("urb", st, r["urbanicity"]) for st in here])
    for r in _rows(national / "outcomes.csv")[0]:
        m = r["measure"]
        reader.see(("resp_n", m), r["respondents"])
        reader.see(("imp_n", m), r["improved"])
        seen = {**reader.known, **reader.hidden}
        reader.relate(("resp_n", m), [("resp", st, m) for st in here if ("resp", st, m) in seen])
        reader.relate(("imp_n", m), [("imp", st, m) for st in here if ("imp", st, m) in seen])
    return reader
