"""The contract's small-cell publishing rule, applied to every published people count as one system.

A published figure is a *cell*: a people count identified by a hashable key (measure, period, scope, ...).
Cells are tied together by *relations* a reader can use: a total equals the sum of its parts (a state is the
sum of its counties and of its program types; the nation of its regions and of its types), and, because each
state page lists every program with its county and type, the people served in one county are the sum of
*atoms* (its programs of each type) whose sums by type are the state's type cells.

Rule (contract.yaml small_cells), read literally:
- primary: a people count from 1 to threshold-1 is shown as `shown_as` ("<11");
- complementary: "a second cell is suppressed wherever a total would let a reader work the hidden one back
  out". Here "work back out" is taken in the strongest sense: from everything published at once (every
  relation, `<11` meaning 1..10, `*` meaning threshold or more, counts never negative, whole numbers), a
  reader must not be able to pin a hidden cell or narrow a `<11` one inside 1..10. For each `<11` cell the
  suppression finds a cycle through hidden cells along which it can move to 1 and to threshold-1 while every
  published figure stays the same; where there is none, the cheapest cells that open one (fewest, then
  smallest) are hidden too, shown as COMPLEMENTARY_MARK. A zero is never hidden (so `*` always means
  threshold or more), nor is any count of organizations, programs or dollars (public by the contract).
- derived figures (shares, ratios, changes) of a hidden count are hidden too (see `derived_hidden`).

The result is audited independently by linear programming (pipelines/reports/audit.py).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from pipelines.contract import load_contract
from pipelines.reports.network import COMPLEMENTARY, ResidualNetwork

COMPLEMENTARY_MARK = "*"


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
class Relation:
    """total == sum(parts). `side` (+1 or -1) orients the relation in the flow network: a cell that is the total
    of one relation and a part of another has both on the same side; a cell that is a part of two relations
    (an atom: its county and its type) has them on opposite sides."""

    total: Hashable
    parts: tuple[Hashable, ...]
    side: int = 1


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
    relations: int = 0

    def __getitem__(self, key: Hashable) -> Published:
        return self.cells[key]

    def get(self, key: Hashable) -> Published | None:
        return self.cells.get(key)

    def hidden(self, key: Hashable) -> bool:
        cell = self.cells.get(key)
        return cell is not None and cell.hidden


def _in_order(keys: set) -> list:
    """Latest period first (the national page), then a fixed order of keys: same data, same site."""

    def period(key) -> str:
        return str(key[1]) if isinstance(key, tuple) and len(key) > 1 else ""

    return sorted(sorted(keys, key=repr), key=period, reverse=True)


def protection_needs(value: int, rule: SmallCellRule) -> list[tuple[bool, int]]:
    """(up?, units) a `<11` cell must be able to move: to threshold-1 and to 1."""
    return [(up, need) for up, need in ((True, rule.threshold - 1 - value), (False, value - 1)) if need > 0]


def suppress(publication, rule: SmallCellRule | None = None) -> Suppressed:
    """Primary and joint complementary suppression of every cell of a `cells.Publication`."""
    rule = rule or SmallCellRule.from_contract()
    values = publication.values
    primary = {k for k, v in values.items() if rule.is_small(v)}
    net = ResidualNetwork(values, publication.atoms, publication.relations, rule.threshold, primary)
    for key in _in_order(primary):
        arc = net.index[key]
        for up, need in protection_needs(values[key], rule):
            net.protect(arc, up, need)
    complementary = {
        net.keys[i] for i, s in enumerate(net.status) if s == COMPLEMENTARY and net.keys[i] in values
    }
    cells = {}
    for key, value in values.items():
        if key in primary:
            cells[key] = Published(None, rule.shown_as)
        elif key in complementary:
            cells[key] = Published(None, COMPLEMENTARY_MARK)
        else:
            cells[key] = Published(int(value))
    return Suppressed(
        cells=cells, primary=primary, complementary=complementary, relations=len(publication.relations)
    )


def derived_hidden(*cells: Published | None) -> bool:
    """A share, ratio or change computed from any hidden count would let a reader undo the hiding."""
    return any(c is None or c.hidden for c in cells)
