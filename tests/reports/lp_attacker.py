"""An independent attacker: integer programs over every relation a reader knows (not pipelines.reports.audit).

Given the visible counts, the hidden ones with what their marks say, unknowns a reader can name but never
sees (people served by one county's programs of one type, at least 0) and every relation total = sum(parts),
it returns, for each hidden count, the smallest and largest whole-number value consistent with all of it.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp


def solve_intervals(known: dict, hidden_bounds: dict, unknowns: set, relations: list) -> dict:
    """key -> (low, high) for every key of hidden_bounds (high may be math.inf)."""
    variables = sorted(set(hidden_bounds) | set(unknowns), key=repr)
    col = {k: i for i, k in enumerate(variables)}
    rows, rhs = [], []
    for total, parts in relations:
        row = np.zeros(len(variables))
        constant = 0.0
        for key, coef in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if key in col:
                row[col[key]] += coef
            else:
                constant -= coef * known[key]
        if row.any():
            rows.append(row)
            rhs.append(constant)
        elif abs(constant) > 1e-9:
            raise AssertionError(f"published figures contradict each other: {total} = sum{parts}")
    lower = np.array([hidden_bounds.get(k, (0, math.inf))[0] for k in variables], dtype=float)
    upper = np.array([hidden_bounds.get(k, (0, math.inf))[1] for k in variables], dtype=float)
    constraints = [LinearConstraint(np.array(rows), rhs, rhs)] if rows else []
    out = {}
    for key in hidden_bounds:
        c = np.zeros(len(variables))
        c[col[key]] = 1.0
        low = milp(
            c, constraints=constraints, integrality=np.ones(len(variables)), bounds=Bounds(lower, upper)
        )
        assert low.status == 0, f"the published figures have no solution ({low.message})"
        high = milp(
            -c, constraints=constraints, integrality=np.ones(len(variables)), bounds=Bounds(lower, upper)
        )
        out[key] = (round(low.x[col[key]]), math.inf if high.status != 0 else round(high.x[col[key]]))
    return out


def intervals(values: dict, atoms: dict, relations: list, suppressed, rule) -> dict:
    """The same, from a pipeline Publication's parts and a Suppressed result (marks read as a reader would)."""
    hidden = {}
    for key, cell in suppressed.cells.items():
        if cell.hidden:
            hidden[key] = (
                (1, rule.threshold - 1) if cell.mark == rule.shown_as else (rule.threshold, math.inf)
            )
    known = {k: v for k, v in values.items() if k not in hidden}
    return solve_intervals(known, hidden, set(atoms), [(r.total, r.parts) for r in relations])


def exposed(values: dict, atoms: dict, relations: list, suppressed, rule) -> list[tuple]:
    """Hidden cells a reader can pin, or narrow beyond what the marks alone allow: (key, low, high).

    What the marks alone allow is the interval the cell would have if every non-zero visible count were hidden
    too (as `*`): a `<11` total with two `<11` parts, for instance, bounds each part by threshold-2 whatever
    else is published."""
    found = intervals(values, atoms, relations, suppressed, rule)
    narrowed = {
        k: v
        for k, v in found.items()
        if v[0] == v[1] or (suppressed[k].mark == rule.shown_as and (v[0] > 1 or v[1] < rule.threshold - 1))
    }
    if not narrowed:
        return []
    hidden = {}
    for key, value in values.items():
        cell = suppressed.cells[key]
        if cell.mark == rule.shown_as:
            hidden[key] = (1, rule.threshold - 1)
        elif cell.hidden or value != 0:
            hidden[key] = (rule.threshold, math.inf)
    known = {k: v for k, v in values.items() if k not in hidden}
    allowed = solve_intervals(known, hidden, set(atoms), [(r.total, r.parts) for r in relations])
    return [
        (k, lo, hi)
        for k, (lo, hi) in sorted(narrowed.items(), key=repr)
        if lo == hi or lo > allowed[k][0] or hi < allowed[k][1]
    ]
