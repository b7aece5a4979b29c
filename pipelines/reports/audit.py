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
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix

from pipelines.reports.suppression import COMPLEMENTARY_MARK, Relation, SmallCellRule, Suppressed

EPS = 1e-6
INF = np.inf


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


class _Group:
    """One connected set of unknowns and the relations among them, as an LP."""

    def __init__(self, unknowns: list, rows: list[tuple[dict, float]], bounds: Mapping, truth: Mapping):
        self.unknowns = unknowns
        self.col = {k: i for i, k in enumerate(unknowns)}
        data, indices, indptr, rhs = [], [], [0], []
        for coefs, constant in rows:
            for key, coef in coefs.items():
                indices.append(self.col[key])
                data.append(coef)
            indptr.append(len(indices))
            rhs.append(constant)
        self.matrix = csr_matrix((data, indices, indptr), shape=(len(rows), len(unknowns)))
        self.rhs = np.array(rhs, dtype=float)
        self.lower = np.array([bounds[k][0] for k in unknowns], dtype=float)
        self.upper = np.array([bounds[k][1] for k in unknowns], dtype=float)
        self.truth = np.array([truth[k] for k in unknowns], dtype=float)
        self.lp_solves = 0
        self.ip_solves = 0

    def _costs_and_upper(self, objective: dict, upper: Mapping | None) -> tuple[np.ndarray, np.ndarray]:
        c = np.zeros(len(self.unknowns))
        for key, coef in objective.items():
            c[self.col[key]] = coef
        ub = self.upper.copy()
        for key, value in (upper or {}).items():
            ub[self.col[key]] = value
        return c, ub

    def solve(self, objective: dict, upper: Mapping | None = None) -> np.ndarray | None:
        """Minimise sum(coef * x) (a vertex, by the dual simplex); None if unbounded or infeasible."""
        c, ub = self._costs_and_upper(objective, upper)
        self.lp_solves += 1
        res = linprog(
            c,
            A_eq=self.matrix if self.matrix.shape[0] else None,
            b_eq=self.rhs if self.matrix.shape[0] else None,
            bounds=np.column_stack([self.lower, ub]),
            method="highs-ds",
        )
        return res.x if res.status == 0 else None

    def solve_integer(self, objective: dict, upper: Mapping | None = None) -> np.ndarray | None:
        """The same over whole numbers (scipy.optimize.milp, HiGHS branch and bound)."""
        c, ub = self._costs_and_upper(objective, upper)
        self.ip_solves += 1
        constraints = [LinearConstraint(self.matrix, self.rhs, self.rhs)] if self.matrix.shape[0] else []
        res = milp(
            c,
            constraints=constraints,
            integrality=np.ones(len(self.unknowns)),
            bounds=Bounds(self.lower, ub),
        )
        return res.x if res.status == 0 else None

    def value(self, x: np.ndarray, key) -> float:
        return float(x[self.col[key]])


def _integral(x: np.ndarray) -> bool:
    return bool(np.all(np.abs(x - np.round(x)) < EPS))


class _Attacker:
    """Computes, for the hidden cells of one group, the interval each can take (with witnesses)."""

    def __init__(self, group: _Group, rule: SmallCellRule, marks: Mapping):
        self.group = group
        self.top = rule.threshold - 1
        self.marks = marks

    def _targets(self, cells: list) -> tuple[set, set, set]:
        truth = {k: self.group.truth[self.group.col[k]] for k in cells}
        low = {k for k in cells if self.marks[k] != COMPLEMENTARY_MARK and truth[k] > 1}
        high = {k for k in cells if self.marks[k] != COMPLEMENTARY_MARK and truth[k] < self.top}
        moved = {k for k in cells if self.marks[k] == COMPLEMENTARY_MARK}
        return low, high, moved

    def _credit(self, x: np.ndarray | None, low: set, high: set, moved: set) -> None:
        if x is None or not _integral(x):
            return
        g = self.group
        low -= {k for k in low if g.value(x, k) <= 1 + EPS}
        high -= {k for k in high if g.value(x, k) >= self.top - EPS}
        moved -= {k for k in moved if abs(g.value(x, k) - g.truth[g.col[k]]) >= 1 - EPS}

    def _batches(self, low: set, high: set, moved: set) -> None:
        while low or high or moved:
            before = (len(low), len(high), len(moved))
            if low:
                self._credit(self.group.solve(dict.fromkeys(low, 1.0)), low, high, moved)
            if high:
                self._credit(self.group.solve(dict.fromkeys(high, -1.0)), low, high, moved)
            if moved:
                self._credit(self.group.solve(dict.fromkeys(moved, 1.0)), low, high, moved)
            if (len(low), len(high), len(moved)) == before:
                return

    def bound(self, key, sign: float, upper: Mapping | None = None) -> float:
        """min (sign=1) or max (sign=-1) of one cell: LP, then an integer program if the LP vertex is fractional."""
        g = self.group
        x = g.solve({key: sign}, upper)
        if x is None:
            return INF  # only a maximum can be unbounded: the exact figures are always a solution
        if not _integral(x):
            xi = g.solve_integer({key: sign}, upper)
            x = xi if xi is not None else x
        return round(g.value(x, key), 6)

    def intervals(self, cells: list) -> dict:
        """(low, high) of each cell a batch could not take to its mark's bounds (a `*` only when pinned)."""
        low, high, moved = self._targets(cells)
        self._batches(low, high, moved)
        out = {}
        for key in sorted(low | high, key=repr):
            lo = self.bound(key, 1.0) if key in low else 1.0
            hi = self.bound(key, -1.0) if key in high else float(self.top)
            if lo > 1 + EPS or hi < self.top - EPS:
                out[key] = (lo, hi)
        for key in sorted(moved, key=repr):
            truth = self.group.truth[self.group.col[key]]
            if self.bound(key, 1.0) > truth - EPS and self.bound(key, -1.0, {key: truth + 1}) < truth + EPS:
                out[key] = (truth, truth)
        return out


def _rows(relations: Iterable[Relation], known: Mapping) -> list[tuple[dict, float]]:
    """Each relation as (coefficients of unknowns, constant); `known` maps a visible cell to its value."""
    rows = []
    for r in relations:
        coefs: dict = defaultdict(float)
        constant = 0.0
        for key, coef in [(r.total, 1.0)] + [(p, -1.0) for p in r.parts]:
            if key in known:
                constant -= coef * known[key]
            else:
                coefs[key] += coef
        coefs = {k: c for k, c in coefs.items() if c}
        if coefs:
            rows.append((coefs, constant))
    return rows


def _groups(rows: list[tuple[dict, float]]) -> list[tuple[list, list]]:
    parent: dict = {}

    def find(k):
        root = k
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[k] != root:
            parent[k], k = root, parent[k]
        return root

    for coefs, _ in rows:
        keys = list(coefs)
        for other in keys[1:]:
            a, b = find(keys[0]), find(other)
            if a != b:
                parent[max(a, b, key=repr)] = min(a, b, key=repr)
        find(keys[0])
    members, by_root = defaultdict(list), defaultdict(list)
    for key in parent:
        members[find(key)].append(key)
    for row in rows:
        by_root[find(next(iter(row[0])))].append(row)
    return [(sorted(members[r], key=repr), by_root[r]) for r in sorted(members, key=repr)]


def _bounds(key, marks: Mapping, rule: SmallCellRule) -> tuple[float, float]:
    mark = marks.get(key)
    if mark is None:
        return 0.0, INF  # an atom: people served by some programs, never negative
    if mark == COMPLEMENTARY_MARK:
        return float(rule.threshold), INF
    return 1.0, float(rule.threshold - 1)


def audit_counts(
    values: Mapping[Hashable, int],
    atoms: Mapping[Hashable, int],
    relations: list[Relation],
    suppressed: Suppressed,
    rule: SmallCellRule | None = None,
) -> AuditResult:
    """Every hidden cell's interval under everything published; exposures where a reader learns too much."""
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
    rows = _rows(relations, known)
    narrowed: dict = {}
    for unknowns, group_rows in _groups(rows):
        hidden_here = [k for k in unknowns if k in marks]
        if not hidden_here:
            continue
        result.groups += 1
        bounds = {k: _bounds(k, marks, rule) for k in unknowns}
        group = _Group(unknowns, group_rows, bounds, truth)
        narrowed.update(_Attacker(group, rule, marks).intervals(hidden_here))
        result.lp_solves += group.lp_solves
        result.ip_solves += group.ip_solves
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
    rows = _rows(relations, known)
    truth = {**values, **atoms}
    allowed = {}
    for unknowns, group_rows in _groups(rows):
        here = [k for k in unknowns if k in narrowed]
        if not here:
            continue
        group = _Group(unknowns, group_rows, {k: _bounds(k, all_marks, rule) for k in unknowns}, truth)
        attacker = _Attacker(group, rule, all_marks)
        for key in here:
            allowed[key] = (attacker.bound(key, 1.0), attacker.bound(key, -1.0))
        result.lp_solves += group.lp_solves
        result.ip_solves += group.ip_solves
    return allowed
