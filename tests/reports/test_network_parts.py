"""The suppression's path searches stay inside the part of the network they start in (network.py `_parts`):
the cells they hide are exactly those a search of the whole network hides, on any landscape."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from test_missing_figures import landscapes

from pipelines.reports.cells import build_publication
from pipelines.reports.data import read_landscape
from pipelines.reports.network import ResidualNetwork
from pipelines.reports.suppression import SmallCellRule, suppress

RULE = SmallCellRule.from_contract()


def _both(pub, monkeypatch: pytest.MonkeyPatch) -> tuple:
    confined = suppress(pub, RULE)
    with monkeypatch.context() as m:  # every node in one part: the search may roam the whole network
        m.setattr(ResidualNetwork, "_parts", lambda self: [0] * (self.root + 1))
        whole = suppress(pub, RULE)
    return confined, whole


def test_confined_searches_hide_what_whole_searches_hide_on_the_fixture(fixture_warehouse, monkeypatch):
    pub = build_publication(read_landscape(fixture_warehouse.path))
    confined, whole = _both(pub, monkeypatch)
    assert confined.complementary and confined.cells == whole.cells


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(land=landscapes())
def test_confined_searches_hide_what_whole_searches_hide(land, monkeypatch):
    pub = build_publication(land)
    confined, whole = _both(pub, monkeypatch)
    assert confined.cells == whole.cells and confined.complementary == whole.complementary


def test_a_trend_year_is_a_part_of_its_own(fixture_warehouse):
    land = read_landscape(fixture_warehouse.path)
    pub = build_publication(land)
    net = ResidualNetwork(pub.values, pub.atoms, pub.relations, RULE.threshold, set())
    earlier = [p for p in land.periods[:-1] if p not in set(land.latest_periods().values())]
    assert earlier, "the fixture has a year no page details"
    for period in earlier:
        arcs = [net.index[k] for k in pub.values if k[1] == period]
        nodes = {end for a in arcs for end in (net.head[a], net.tail[a])} - {net.root}
        others = {
            net.part[n]
            for a in range(len(net.keys))
            if pub_period(net.keys[a]) != period
            for n in (net.head[a], net.tail[a])
            if n != net.root
        }
        assert len({net.part[n] for n in nodes}) == 1 and not ({net.part[n] for n in nodes} & others)


def pub_period(key) -> str | None:
    return key[1] if isinstance(key, tuple) and len(key) > 1 else None
