"""The contract's small-cell publishing rule, applied once to every people count before anything is rendered.

A published figure is a *cell*: a people count identified by a hashable key (measure, scope, period, ...).
Cells are tied together by *constraints*: a total that equals the sum of its parts (a state equals the sum of
its counties; the nation equals the sum of its states ...). A reader can subtract visible parts from a
visible total, so hiding one part is never enough.

Rule (contract.yaml small_cells):
- primary: a people count from 1 to threshold-1 is shown as `shown_as` ("<11");
- complementary: wherever a constraint would let a reader pin a hidden cell to one value (one hidden cell in a
  constraint, or bounds that leave one possibility), the next smallest visible cell of that constraint is
  hidden too, shown as COMPLEMENTARY_MARK, until no constraint pins any hidden cell;
- derived figures (shares, ratios, changes) of a hidden count are hidden too (see `derived_hidden`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from pipelines.contract import load_contract

COMPLEMENTARY_MARK = "*"
INF = math.inf


@dataclass(frozen=True)
class SmallCellRule:
    threshold: int
    shown_as: str
    people_counts: tuple[str, ...]

    @classmethod
    def from_contract(cls) -> SmallCellRule:
        spec = load_contract().small_cells
        return cls(
            threshold=int(spec["threshold"]),
            shown_as=str(spec["shown_as"]),
            people_counts=tuple(spec["people_counts"]),
        )

    def is_small(self, value: int | float | None) -> bool:
        return value is not None and 1 <= value < self.threshold


@dataclass(frozen=True)
class Constraint:
    """total == sum(parts), all of them published cells."""

    total: Hashable
    parts: tuple[Hashable, ...]


@dataclass(frozen=True)
class Published:
    """What a reader sees for one people count: the value, or a mark."""

    value: int | None
    mark: str | None = None

    @property
    def hidden(self) -> bool:
        return self.mark is not None

    def shown(self) -> int | str:
        return self.mark if self.mark is not None else self.value


@dataclass
class Suppressed:
    """Result of the rule: every cell's published form, and which were primary or complementary."""

    cells: dict[Hashable, Published]
    primary: set[Hashable] = field(default_factory=set)
    complementary: set[Hashable] = field(default_factory=set)

    def __getitem__(self, key: Hashable) -> Published:
        return self.cells[key]

    def get(self, key: Hashable) -> Published | None:
        return self.cells.get(key)

    def hidden(self, key: Hashable) -> bool:
        cell = self.cells.get(key)
        return cell is not None and cell.hidden


def _bounds(
    key: Hashable, values: Mapping, primary: set, rule: SmallCellRule, comp_low: float
) -> tuple[float, float]:
    # What a reader knows about a hidden cell: "<11" means 1..threshold-1; the complementary mark says
    # nothing except that the figure is a count (comp_low lets the audit also try "it is at least 11").
    if key in primary:
        return 1.0, float(rule.threshold - 1)
    return comp_low, INF


def pinned_cells(
    constraint: Constraint, values: Mapping, hidden: set, primary: set, rule: SmallCellRule
) -> list[Hashable]:
    """Hidden cells of one constraint that a reader could work out exactly (interval reasoning)."""
    terms = [(constraint.total, -1)] + [(p, 1) for p in constraint.parts]
    hidden_terms = [(k, a) for k, a in terms if k in hidden]
    if not hidden_terms:
        return []
    if len(hidden_terms) == 1:
        return [hidden_terms[0][0]]
    constant = -sum(a * values[k] for k, a in terms if k not in hidden)
    comp_lows = [0.0]
    if all(values[k] >= rule.threshold for k, _ in hidden_terms if k not in primary):
        comp_lows.append(float(rule.threshold))
    found = []
    for comp_low in comp_lows:
        bounds = {k: _bounds(k, values, primary, rule, comp_low) for k, _ in hidden_terms}
        for key, coef in hidden_terms:
            # coef*x_key = constant - sum(other a*x)
            lo_rest = hi_rest = 0.0
            for other, a in hidden_terms:
                if other == key:
                    continue
                lo, hi = bounds[other]
                lo_rest += min(a * lo, a * hi)
                hi_rest += max(a * lo, a * hi)
            cand = sorted(((constant - hi_rest) / coef, (constant - lo_rest) / coef))
            lo_k = max(bounds[key][0], cand[0])
            hi_k = min(bounds[key][1], cand[1])
            if lo_k == hi_k and key not in found:
                found.append(key)
    return found


def _knock_on(key: Hashable, membership: Mapping, hidden: set) -> tuple[int, int]:
    """What hiding `key` would start elsewhere: (totals it would force hidden, sums left with one hidden cell)."""
    forced = singletons = 0
    for other in membership.get(key, ()):
        cells = (other.total, *other.parts)
        if any(k in hidden for k in cells):
            continue  # that sum already needs (or has) two hidden cells; one more does not start a new chain
        singletons += 1
        if key != other.total and all(p == key for p in other.parts):
            forced += 1  # a sum of this cell alone: its total would go too
    return forced, singletons


def _next_to_hide(
    constraint: Constraint, values: Mapping, hidden: set, membership: Mapping
) -> Hashable | None:
    visible_parts = [p for p in constraint.parts if p not in hidden]
    # Prefer the part whose hiding starts the fewest new chains elsewhere, then the smallest non-zero one
    # (hiding a zero next to a small cell tells the reader little new).
    for pool in ([p for p in visible_parts if values[p] > 0], visible_parts):
        if pool:
            return min(pool, key=lambda k: (*_knock_on(k, membership, hidden), values[k], repr(k)))
    if constraint.total not in hidden:
        return constraint.total
    return None


def suppress(
    values: Mapping[Hashable, int],
    constraints: Iterable[Constraint],
    rule: SmallCellRule | None = None,
) -> Suppressed:
    """Apply primary and complementary suppression to every cell in `values`."""
    rule = rule or SmallCellRule.from_contract()
    constraints = [c for c in constraints if c.parts]
    for c in constraints:
        missing = [k for k in (c.total, *c.parts) if k not in values]
        if missing:
            raise KeyError(f"constraint names cells without a value: {missing[:3]}")
    membership: dict[Hashable, list[Constraint]] = {}
    for c in constraints:
        for key in {c.total, *c.parts}:
            membership.setdefault(key, []).append(c)
    primary = {k for k, v in values.items() if rule.is_small(v)}
    hidden = set(primary)
    changed = True
    while changed:
        changed = False
        for c in constraints:
            while pinned_cells(c, values, hidden, primary, rule):
                pick = _next_to_hide(c, values, hidden, membership)
                if pick is None:
                    break
                hidden.add(pick)
                changed = True
    complementary = hidden - primary
    cells = {}
    for key, value in values.items():
        if key in primary:
            cells[key] = Published(None, rule.shown_as)
        elif key in complementary:
            cells[key] = Published(None, COMPLEMENTARY_MARK)
        else:
            cells[key] = Published(int(value))
    return Suppressed(cells=cells, primary=primary, complementary=complementary)


def derived_hidden(*cells: Published | None) -> bool:
    """A share, ratio or change computed from any hidden count would let a reader undo the hiding."""
    return any(c is None or c.hidden for c in cells)
