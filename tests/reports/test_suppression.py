"""The publishing rule itself: primary and joint complementary suppression, and derived figures."""

from __future__ import annotations

import pytest
from lp_attacker import exposed, intervals

from pipelines.contract import load_contract
from pipelines.reports.audit import audit_counts
from pipelines.reports.cells import Publication, build_publication
from pipelines.reports.data import read_landscape
from pipelines.reports.network import NotANetwork
from pipelines.reports.suppression import (
    COMPLEMENTARY_MARK,
    Published,
    Relation,
    SmallCellRule,
    Suppressed,
    derived_hidden,
    suppress,
)

RULE = SmallCellRule.from_contract()


def _publication(values: dict, relations: list[Relation], atoms: dict | None = None) -> Publication:
    return Publication(values=dict(values), atoms=dict(atoms or {}), relations=list(relations))


def _exposed(pub: Publication, out) -> list:
    """Hidden cells an independent attacker can pin or narrow (tests/reports/lp_attacker.py)."""
    return exposed(pub.values, pub.atoms, pub.relations, out, RULE)


def test_rule_comes_from_the_contract():
    spec = load_contract().small_cells
    assert RULE.threshold == spec["threshold"] == 11
    assert RULE.shown_as == spec["shown_as"] == "<11"
    assert set(RULE.people_counts) == {"participants_served", "new_participants", "respondents", "improved"}


def test_counts_from_one_to_ten_are_shown_as_under_eleven_and_others_as_they_are():
    values = {"zero": 0, "one": 1, "ten": 10, "eleven": 11, "big": 500}
    out = suppress(_publication(values, []), RULE)
    assert [out[k].shown() for k in values] == [0, "<11", "<11", 11, 500]


def test_one_hidden_part_of_a_published_total_hides_a_part_with_room_never_a_zero():
    pub = _publication(
        {"total": 300, "a": 5, "b": 40, "c": 255, "d": 0}, [Relation("total", ("a", "b", "c", "d"))]
    )
    out = suppress(pub, RULE)
    assert out["a"].shown() == "<11"
    assert out["b"].shown() == COMPLEMENTARY_MARK  # the cheapest part with room to move 5 either way
    assert out["c"].shown() == 255 and out["d"].shown() == 0 and out["total"].shown() == 300
    assert _exposed(pub, out) == []


def test_a_complement_too_small_to_hide_the_range_is_not_enough():
    # a = 2 must be able to reach 10: b would have to drop by 8, but b = 15 can only drop to 11.
    pub = _publication({"total": 100, "a": 2, "b": 15, "c": 83}, [Relation("total", ("a", "b", "c"))])
    out = suppress(pub, RULE)
    assert out["c"].hidden
    assert _exposed(pub, out) == []


def test_a_total_with_a_single_part_is_hidden_with_it_and_both_keep_their_range():
    pub = _publication({"total": 7, "only": 7}, [Relation("total", ("only",))])
    out = suppress(pub, RULE)
    assert out["total"].hidden and out["only"].hidden
    assert _exposed(pub, out) == []


def test_two_hidden_cells_that_bounds_would_pin_get_a_third():
    # 10 + 10 = 20: a reader who knows both are at most 10 knows both are 10.
    pub = _publication({"total": 120, "a": 10, "b": 10, "c": 100}, [Relation("total", ("a", "b", "c"))])
    out = suppress(pub, RULE)
    assert out["c"].hidden
    assert _exposed(pub, out) == []


def test_the_program_list_links_county_and_type_tables():
    # The example: Washington County (13 people) has one program, the state's only crisis respite one,
    # so the hidden crisis respite cell would be 13; arts (<11) would follow from the type total.
    atoms = {("atom", "wash", "crisis"): 13, ("atom", "adams", "arts"): 8, ("atom", "adams", "support"): 40}
    values = {"state": 61, "wash": 13, "adams": 48, "crisis": 13, "arts": 8, "support": 40}
    relations = [
        Relation("wash", (("atom", "wash", "crisis"),), 1),
        Relation("adams", (("atom", "adams", "arts"), ("atom", "adams", "support")), 1),
        Relation("state", ("wash", "adams"), 1),
        Relation("crisis", (("atom", "wash", "crisis"),), -1),
        Relation("arts", (("atom", "adams", "arts"),), -1),
        Relation("support", (("atom", "adams", "support"),), -1),
        Relation("state", ("crisis", "arts", "support"), -1),
    ]
    pub = _publication(values, relations, atoms)
    out = suppress(pub, RULE)
    assert out["arts"].shown() == "<11"
    assert _exposed(pub, out) == []
    # Table by table protection (arts and one more type hidden) is not enough once the program list is read:
    marks = {"arts": Published(None, "<11"), "crisis": Published(None, COMPLEMENTARY_MARK)}
    table_by_table = Suppressed({k: marks.get(k, Published(v)) for k, v in values.items()})
    assert ("crisis", 13, 13) in _exposed(pub, table_by_table)


def test_same_data_gives_the_same_hidden_cells_whatever_the_order():
    values = {f"c{i}": v for i, v in enumerate([3, 40, 17, 5, 60, 12, 9, 200])}
    relations = [Relation("t1", ("c0", "c1", "c2", "c3")), Relation("t2", ("c4", "c5", "c6", "c7"))]
    values |= {"t1": 65, "t2": 281}
    first = suppress(_publication(values, relations), RULE)
    second = suppress(_publication(dict(reversed(values.items())), relations[::-1]), RULE)
    assert first.cells == second.cells


def test_a_system_that_is_not_a_network_is_refused_by_the_suppression():
    values = {"t": 30, "u": 30, "a": 5, "b": 25}
    relations = [Relation("t", ("a", "b"), 1), Relation("u", ("a", "b"), 1)]
    with pytest.raises(NotANetwork):
        suppress(_publication(values, relations), RULE)


def test_derived_figures_of_a_hidden_count_are_hidden():
    assert derived_hidden(Published(None, "<11"), Published(40))
    assert derived_hidden(Published(40), Published(None, COMPLEMENTARY_MARK))
    assert not derived_hidden(Published(40), Published(12))


def test_fixture_is_protected_jointly_and_the_pipeline_audit_agrees(fixture_warehouse):
    pub = build_publication(read_landscape(fixture_warehouse.path))
    out = suppress(pub, RULE)
    assert out.primary, "the fixture must exercise primary suppression"
    assert out.complementary, "the fixture must exercise complementary suppression"
    assert _exposed(pub, out) == []
    assert audit_counts(pub.values, pub.atoms, pub.relations, out, RULE).ok


def test_a_small_total_of_small_parts_narrows_them_and_that_is_allowed_but_nothing_more():
    # 7 = 4 + 3: each part is at most 9 from the marks alone; no suppression can change that.
    pub = _publication(
        {"t": 7, "a": 4, "b": 3, "n": 107, "c": 100}, [Relation("t", ("a", "b")), Relation("n", ("t", "c"))]
    )
    out = suppress(pub, RULE)
    assert intervals(pub.values, pub.atoms, pub.relations, out, RULE)["a"] == (1, 9)
    assert _exposed(pub, out) == []
    assert audit_counts(pub.values, pub.atoms, pub.relations, out, RULE).ok


def test_a_fractional_linear_optimum_is_settled_by_an_integer_program(monkeypatch):
    # The published system is a network, so its vertices are whole numbers; pretend they are not, and the
    # audit must confirm each bound with scipy.optimize.milp and reach the same verdict.
    from pipelines.reports import audit_lp as audit_module

    pub = _publication({"total": 100, "a": 2, "b": 15, "c": 83}, [Relation("total", ("a", "b", "c"))])
    out = suppress(pub, RULE)
    monkeypatch.setattr(audit_module, "_integral", lambda x: False)
    result = audit_counts(pub.values, pub.atoms, pub.relations, out, RULE)
    assert result.ip_solves > 0 and result.ok
    exposed_by_hand = Suppressed(
        {k: Published(None, "<11") if k == "a" else Published(v) for k, v in pub.values.items()}
    )
    pinned = audit_counts(pub.values, pub.atoms, pub.relations, exposed_by_hand, RULE)
    assert [(e.cell, e.reason) for e in pinned.exposures] == [("a", "pinned")]
