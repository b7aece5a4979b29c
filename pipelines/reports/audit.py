"""The disclosure audit: what a reader holding every published figure at once can work out about each hidden one.

The reader's model (the strongest this publication allows): every visible people count exactly; `<11` means
1..threshold-1; `*` means threshold or more (a zero is never hidden); every relation between published cells
(tables' totals, national sums of state tables, the program list naming which programs make up each county
and type); counts are whole numbers, never negative. For every hidden cell the audit computes the interval
of values that model allows, by linear programming (HiGHS through scipy), per connected group of unknowns:

- batches first: one LP pushes every `<11` cell of a group down at once, one pushes them up, one moves every
  `*`; a vertex that is a whole-number solution proves each cell it takes to its bound can get there;
- the cells left get their own LP (min and max), and an integer program (scipy.optimize.milp) confirms a
  bound only where the LP's optimum is fractional.

A hidden cell fails when it is pinned (one value), or when a `<11` cell is narrowed below what the marks
themselves allow: the interval it would have were every other non-zero count hidden too (a `<11` total with
two `<11` parts makes each part at most threshold-2, which no suppression can change).
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from pipelines.reports.audit_lp import EPS, Attacker, Group, bounds_of, linked_groups, relation_rows
from pipelines.reports.audit_verdicts import Verdict, Verdicts
from pipelines.reports.suppression import COMPLEMENTARY_MARK, Relation, SmallCellRule, Suppressed


@dataclass(frozen=True)
class Exposure:
    """A hidden cell a reader can work out (pinned) or narrow beyond what its mark says."""

    cell: Hashable
    mark: str
    low: float
    high: float
    reason: str  # pinned | narrowed

    def message(self) -> str:
        interval = f"{self.low:g}" if self.low == self.high else f"{self.low:g}..{self.high:g}"
        what = "worked out exactly" if self.reason == "pinned" else f"narrowed beyond what {self.mark!r} says"
        return f"hidden cell {format_key(self.cell)} ({self.mark}) can be {what}: {interval}"


@dataclass
class AuditResult:
    hidden: int = 0
    primary: int = 0
    complementary: int = 0
    relations: int = 0
    groups: int = 0
    groups_reused: int = 0  # groups whose verdict was taken from the live site's (the same question answered)
    lp_solves: int = 0
    ip_solves: int = 0
    seconds: float = 0.0
    exposures: list[Exposure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.exposures


class DisclosureError(RuntimeError):
    """The audit found hidden cells a reader can work out: the site must not be published."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"disclosure audit failed; the previous site stays published:\n  {shown}{more}")


def format_key(key: Hashable) -> str:
    return " / ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)


def audit_counts(
    values: Mapping[Hashable, int],
    atoms: Mapping[Hashable, int],
    relations: list[Relation],
    suppressed: Suppressed,
    rule: SmallCellRule | None = None,
    verdicts: Verdicts | None = None,
) -> AuditResult:
    """Every hidden cell's interval under everything published; exposures where a reader learns too much.

    `verdicts` (audit_verdicts.py): each group's verdict is taken from there when the very same question was
    answered before, and recorded there otherwise."""
    verdicts = verdicts if verdicts is not None else Verdicts()
    reused_before = verdicts.reused
    rule = rule or SmallCellRule.from_contract()
    started = time.perf_counter()
    marks = {k: c.mark for k, c in suppressed.cells.items() if c.hidden}
    known = {k: v for k, v in values.items() if k not in marks}
    result = AuditResult(
        hidden=len(marks),
        primary=sum(1 for m in marks.values() if m != COMPLEMENTARY_MARK),
        complementary=sum(1 for m in marks.values() if m == COMPLEMENTARY_MARK),
        relations=len(relations),
    )
    truth = {**values, **atoms}
    rows = relation_rows(relations, known)
    narrowed: dict = {}
    for unknowns, group_rows in linked_groups(rows):
        hidden_here = [k for k in unknowns if k in marks]
        if not hidden_here:
            continue
        result.groups += 1
        bounds = {k: bounds_of(k, marks, rule) for k in unknowns}
        key = Verdicts.key(unknowns, group_rows, bounds, truth, marks, rule.threshold)
        verdict = verdicts.take(key)
        if verdict is None:
            verdict = _verdict(Group(unknowns, group_rows, bounds, truth), rule, marks, hidden_here)
            verdicts.keep(key, verdict)
        narrowed.update({unknowns[i]: (lo, hi) for i, lo, hi in verdict.narrowed})
        result.lp_solves += verdict.lp_solves
        result.ip_solves += verdict.ip_solves
    result.groups_reused = verdicts.reused - reused_before
    # A hidden cell in no relation with an unknown is in no group: it can be anything its mark allows.
    pinned = {k: v for k, v in narrowed.items() if abs(v[0] - v[1]) < EPS}
    for key, (lo, hi) in sorted(pinned.items(), key=lambda kv: repr(kv[0])):
        result.exposures.append(Exposure(key, marks[key], lo, hi, "pinned"))
    narrowed = {k: v for k, v in narrowed.items() if k not in pinned}
    if narrowed:
        allowed = _what_marks_allow(narrowed, values, atoms, relations, marks, rule, result)
        for key, (lo, hi) in sorted(narrowed.items(), key=lambda kv: repr(kv[0])):
            if lo > allowed[key][0] + EPS or hi < allowed[key][1] - EPS:
                result.exposures.append(Exposure(key, marks[key], lo, hi, "narrowed"))
    result.seconds = time.perf_counter() - started
    return result


def _verdict(group: Group, rule: SmallCellRule, marks: Mapping, hidden: list) -> Verdict:
    intervals = Attacker(group, rule, marks).intervals(hidden)
    narrowed = tuple((group.col[k], lo, hi) for k, (lo, hi) in intervals.items())
    return Verdict(narrowed, group.lp_solves, group.ip_solves)


def _what_marks_allow(
    narrowed: Mapping,
    values: Mapping,
    atoms: Mapping,
    relations: list[Relation],
    marks: Mapping,
    rule: SmallCellRule,
    result: AuditResult,
) -> dict:
    """The interval of each narrowed cell if every non-zero visible count were hidden too (`*`)."""
    all_marks = {k: marks.get(k, COMPLEMENTARY_MARK) for k, v in values.items() if k in marks or v != 0}
    known = {k: v for k, v in values.items() if k not in all_marks}
    rows = relation_rows(relations, known)
    truth = {**values, **atoms}
    allowed = {}
    for unknowns, group_rows in linked_groups(rows):
        here = [k for k in unknowns if k in narrowed]
        if not here:
            continue
        group = Group(unknowns, group_rows, {k: bounds_of(k, all_marks, rule) for k in unknowns}, truth)
        attacker = Attacker(group, rule, all_marks)
        for key in here:
            allowed[key] = (attacker.bound(key, 1.0), attacker.bound(key, -1.0))
        result.lp_solves += group.lp_solves
        result.ip_solves += group.ip_solves
    return allowed
