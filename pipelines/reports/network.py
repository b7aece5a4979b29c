"""The published people counts as a flow network, where protecting a hidden cell is finding a cycle.

Every relation (total = sum of parts) is a node; every cell or atom is an arc between the two relations it
appears in (with opposite signs: see `Relation.side`), or between one relation and the root. The exact figures
are then a feasible circulation: each node's inflow equals its outflow. A reader knows each arc's bounds:
a visible cell is fixed, `<11` is 1..threshold-1, `*` is at least threshold, an atom is at least 0.

A hidden cell can be moved by d, keeping every published figure, exactly when d units can travel around a
cycle through its arc: from its head back to its tail (to raise it) or the other way (to lower it), over
arcs with room to move. Finding such a path with room for the protection needed (up to threshold-1, down to 1)
proves the cell is protected; when none exists, the cheapest path through visible cells says which cells to
hide with it.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Hashable, Iterable, Mapping

INF = math.inf
VISIBLE, PRIMARY, COMPLEMENTARY, ATOM = 0, 1, 2, 3
# What hiding one more cell costs, over and above its value: fewer hidden cells first, then smaller ones.
CELL_COST = 100


class NotANetwork(ValueError):
    """A cell appears with the same sign in two relations (or in three): the system is not a network."""


class ResidualNetwork:
    def __init__(
        self,
        values: Mapping[Hashable, int],
        atoms: Mapping[Hashable, int],
        relations: Iterable,
        threshold: int,
        primary: set,
    ) -> None:
        self.threshold = threshold
        # Sorted, so that the order the figures arrive in cannot change which cells are hidden.
        cells, atom_keys = sorted(values, key=repr), sorted(atoms, key=repr)
        self.keys = [*cells, *atom_keys]
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.value = [int(values[k]) for k in cells] + [int(atoms[k]) for k in atom_keys]
        self.status = [PRIMARY if k in primary else VISIBLE for k in cells] + [ATOM] * len(atom_keys)
        relations = sorted(relations, key=repr)
        self.root = len(relations)
        self.head = [self.root] * len(self.keys)
        self.tail = [self.root] * len(self.keys)
        seen_head, seen_tail = set(), set()
        for node, relation in enumerate(relations):
            for key, sign in [(relation.total, relation.side)] + [
                (p, -relation.side) for p in relation.parts
            ]:
                arc = self.index[key]
                ends, seen = (self.head, seen_head) if sign > 0 else (self.tail, seen_tail)
                if arc in seen:
                    raise NotANetwork(f"{key} appears with the same sign in two relations")
                seen.add(arc)
                ends[arc] = node
        # From each node: (arc, the node at its other end, does going there move the arc up?).
        self.steps: list[list[tuple[int, int, bool]]] = [[] for _ in range(self.root + 1)]
        for arc in range(len(self.keys)):
            self.steps[self.tail[arc]].append((arc, self.head[arc], True))
            self.steps[self.head[arc]].append((arc, self.tail[arc], False))
        self.part = self._parts()
        # The root's steps by part: a search never leaves the part it starts in (see `_parts`).
        self.root_steps: dict[int, list[tuple[int, int, bool]]] = {}
        for step in self.steps[self.root]:
            self.root_steps.setdefault(self.part[step[1]], []).append(step)
        self.lo: list[float] = []
        self.hi: list[float] = []
        for arc, status in enumerate(self.status):
            lo, hi = self._bounds(arc, status)
            self.lo.append(lo)
            self.hi.append(hi)

    def _parts(self) -> list[int]:
        """Each node's part: the relations linked without going through the root (the root is its own part).

        Every path between two nodes of one part that passes the root can only leave it into another part
        and come back through the root, so no simple path (and no cheaper one) ever leaves the part: a
        search confined to it finds exactly the path a search of the whole network finds. A trend year's
        relation is such a part of its own, so the history costs only its own cells, not a search each."""
        parent = list(range(self.root + 1))

        def find(node: int) -> int:
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        for head, tail in zip(self.head, self.tail, strict=True):
            if self.root not in (head, tail):
                parent[find(head)] = find(tail)
        return [find(node) for node in range(self.root + 1)]

    def _steps(self, node: int, part: int) -> list[tuple[int, int, bool]]:
        return self.root_steps.get(part, []) if node == self.root else self.steps[node]

    # -- room to move ---------------------------------------------------------------------------------------
    def _bounds(self, arc: int, status: int) -> tuple[float, float]:
        if status == VISIBLE:
            return self.value[arc], self.value[arc]
        if status == PRIMARY:
            return 1, self.threshold - 1
        if status == COMPLEMENTARY:
            return self.threshold, INF
        return 0, INF

    def room(self, arc: int, up: bool, moved: Mapping[int, int]) -> float:
        """How far the arc can still move (after `moved`, the units already sent along it)."""
        value = self.value[arc] + moved.get(arc, 0)
        return self.hi[arc] - value if up else value - self.lo[arc]

    def _room_if_hidden(self, arc: int, up: bool, moved: Mapping[int, int]) -> float:
        return INF if up else self.value[arc] + moved.get(arc, 0) - self.threshold

    def _hide(self, arc: int) -> None:
        self.status[arc] = COMPLEMENTARY
        self.lo[arc], self.hi[arc] = self._bounds(arc, COMPLEMENTARY)

    def openable(self, arc: int) -> bool:
        """A visible people count that could be hidden as `*` (never a zero: `*` promises threshold or more)."""
        return self.status[arc] == VISIBLE and self.value[arc] >= self.threshold

    def _ends(self, arc: int, up: bool) -> tuple[int, int]:
        return (self.head[arc], self.tail[arc]) if up else (self.tail[arc], self.head[arc])

    def _hidden_path(
        self, start: int, goal: int, skip: int, moved: dict, part: int
    ) -> list[tuple[int, bool]] | None:
        """A path over hidden arcs with room, breadth first, as (arc, up?) steps."""
        room = self.room
        came: dict[int, tuple[int, int, bool]] = {start: (-1, -1, True)}
        queue = deque([start])
        while queue and goal not in came:
            node = queue.popleft()
            for arc, nxt, up in self._steps(node, part):
                if arc != skip and nxt not in came and room(arc, up, moved) >= 1:
                    came[nxt] = (node, arc, up)
                    queue.append(nxt)
        return self._walk_back(came, start, goal)

    def _cheapest_path(
        self, start: int, goal: int, skip: int, moved: dict, part: int
    ) -> list[tuple[int, bool]] | None:
        """The path that hides the fewest, smallest visible cells (Dijkstra; hidden arcs cost nothing)."""
        best = {start: 0.0}
        came: dict[int, tuple[int, int, bool]] = {start: (-1, -1, True)}
        heap = [(0.0, 0, start)]
        counter = 1
        while heap:
            cost, _, node = heapq.heappop(heap)
            if node == goal:
                break
            if cost > best.get(node, INF):
                continue
            for arc, nxt, up in self._steps(node, part):
                if arc == skip:
                    continue
                if self.room(arc, up, moved) >= 1:
                    step = 0.0
                elif self.openable(arc) and self._room_if_hidden(arc, up, moved) >= 1:
                    step = CELL_COST + self.value[arc]
                else:
                    continue
                if cost + step < best.get(nxt, INF):
                    best[nxt] = cost + step
                    came[nxt] = (node, arc, up)
                    heapq.heappush(heap, (cost + step, counter, nxt))
                    counter += 1
        return self._walk_back(came, start, goal)

    @staticmethod
    def _walk_back(came: dict, start: int, goal: int) -> list[tuple[int, bool]] | None:
        if goal not in came:
            return None
        steps, node = [], goal
        while node != start:
            node, arc, up = came[node]
            steps.append((arc, up))
        return steps

    def protect(self, arc: int, up: bool, need: int) -> int:
        """Give the cell room to move `need` units up (or down) with every published figure unchanged, as far
        as any set of hidden cells can; returns the units it can move (less than `need` only where the marks
        themselves forbid more, e.g. a `<11` part of a `<11` total with another `<11` part).

        Sends the units around cycles through the cell (augmenting paths: over hidden arcs first, else the
        cheapest path through visible cells, which are then hidden). When no path is left the units sent are
        the most any suppression allows (a maximum flow where every non-zero count may be hidden). The units
        sent are a witness, not kept: each cell's protection is a separate question.
        """
        start, goal = self._ends(arc, up)
        if start == goal:
            return need  # a cell in no relation: nothing ties it to anything
        part = self.part[start if start != self.root else goal]
        moved: dict[int, int] = {}
        sent = 0
        while sent < need:
            path = self._hidden_path(start, goal, arc, moved, part) or self._cheapest_path(
                start, goal, arc, moved, part
            )
            if path is None:
                break
            for step_arc, _ in path:
                if self.status[step_arc] == VISIBLE:
                    self._hide(step_arc)
            units = min(need - sent, *(self.room(a, u, moved) for a, u in path))
            for step_arc, step_up in path:
                moved[step_arc] = moved.get(step_arc, 0) + (units if step_up else -units)
            sent += units
        return sent
