"""The disclosure audit's solver: linked groups of unknowns and the interval LP (and IP) allows each one.

audit.py says what a reader knows and judges the intervals; this module computes them (HiGHS through scipy).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix

from pipelines.reports.suppression import COMPLEMENTARY_MARK, Relation, SmallCellRule

EPS = 1e-6
INF = np.inf


class Group:
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


class Attacker:
    """Computes, for the hidden cells of one group, the interval each can take (with witnesses)."""

    def __init__(self, group: Group, rule: SmallCellRule, marks: Mapping):
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


def relation_rows(relations: Iterable[Relation], known: Mapping) -> list[tuple[dict, float]]:
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


def linked_groups(rows: list[tuple[dict, float]]) -> list[tuple[list, list]]:
    """The connected groups of unknowns (each sorted by repr, the groups by their first) with their rows."""
    parent: dict = {}
    shown: dict = {}  # each key's repr, computed once: keys are ordered by it

    def order(k) -> str:
        text = shown.get(k)
        if text is None:
            text = shown[k] = repr(k)
        return text

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
                parent[max(a, b, key=order)] = min(a, b, key=order)
        find(keys[0])
    members, by_root = defaultdict(list), defaultdict(list)
    for key in parent:
        members[find(key)].append(key)
    for row in rows:
        by_root[find(next(iter(row[0])))].append(row)
    return [(sorted(members[r], key=order), by_root[r]) for r in sorted(members, key=order)]


def bounds_of(key, marks: Mapping, rule: SmallCellRule) -> tuple[float, float]:
    mark = marks.get(key)
    if mark is None:
        return 0.0, INF  # an atom: people served by some programs, never negative
    if mark == COMPLEMENTARY_MARK:
        return float(rule.threshold), INF
    return 1.0, float(rule.threshold - 1)
