"""The contract's peer-run classification, criterion by criterion, as core.grantees computes it."""

from __future__ import annotations

import pytest

from tests.warehouse.conftest import full_package, load, organization, role, staff

CRITERIA = ("independent", "autonomous", "accountable", "consumer_governed", "peer_staffed")


def _grantee(con, grantee_id="NY-0001"):
    row = con.execute(
        "SELECT independent, autonomous, accountable, consumer_governed, peer_staffed, peer_run_class, "
        "failed_criteria, paid_staff_headcount, paid_staff_lived_experience FROM core.grantees "
        "WHERE grantee_id = ?",
        [grantee_id],
    ).fetchone()
    return dict(zip([*CRITERIA, "class", "failed", "paid", "paid_lived"], row, strict=True))


def test_all_five_hold_is_peer_run(wh):
    load(wh, [full_package("NY-0001")])
    g = _grantee(wh)
    assert all(g[c] for c in CRITERIA)
    assert g["class"] == "peer_run" and g["failed"] is None
    assert (g["paid"], g["paid_lived"]) == (5, 4)


FAILING_ALONE = {
    "independent": dict(org={"legal_status": "program_of_larger_agency"}),
    "autonomous": dict(org={"autonomous": False}),
    "accountable": dict(org={"accountable": False}),
    "consumer_governed": dict(org={"board_members_total": 10, "board_members_lived_experience": 5}),
    "peer_staffed": dict(org={"director_lived_experience": False}),
}


@pytest.mark.parametrize("criterion", CRITERIA)
def test_each_criterion_failing_alone(wh, criterion):
    pkg = full_package("NY-0001", org=organization("NY-0001", **FAILING_ALONE[criterion]["org"]))
    load(wh, [pkg])
    g = _grantee(wh)
    assert [c for c in CRITERIA if not g[c]] == [criterion]
    assert g["failed"] == criterion
    # Criterion 5 alone failing leaves no peer_staffed grantee: other. Any of 1-4 failing: peer_partnered.
    assert g["class"] == ("other" if criterion == "peer_staffed" else "peer_partnered")


@pytest.mark.parametrize(
    ("total", "lived", "expected"),
    [
        (100, 51, True),  # exactly 51 %: decimal arithmetic, no float rounding
        (100, 50, False),
        (2, 1, False),  # 50 %
        (2, 2, True),
        (3, 2, True),  # 66.7 %
        (0, 0, False),  # empty board
    ],
)
def test_consumer_governed_threshold(wh, total, lived, expected):
    org = organization("NY-0001", board_members_total=total, board_members_lived_experience=lived)
    load(wh, [full_package("NY-0001", org=org)])
    assert _grantee(wh)["consumer_governed"] is expected


@pytest.mark.parametrize(
    ("workforce", "expected", "paid"),
    [
        # exactly half of paid staff with lived experience is enough
        ([role("executive_director", 1, 1), role("administrative", 1, 0)], True, 2),
        ([role("executive_director", 1, 1), role("administrative", 2, 0)], False, 3),
        # volunteers do not count as paid staff, neither for the headcount nor for lived experience
        (
            [role("executive_director", 1, 1), role("administrative", 2, 0), role("volunteer", 50, 50)],
            False,
            3,
        ),
        ([role("executive_director", 1, 1), role("administrative", 1, 0), role("volunteer", 9, 0)], True, 2),
        # no paid staff at all: not peer-staffed, even with a lived-experience director flag
        ([role("volunteer", 5, 5)], False, 0),
        ([], False, 0),
        ([role("executive_director", 0, 0)], False, 0),
    ],
)
def test_peer_staffed_paid_staff(wh, workforce, expected, paid):
    load(wh, [full_package("NY-0001", workforce=workforce)])
    g = _grantee(wh)
    assert g["peer_staffed"] is expected
    assert g["paid"] == paid


def test_peer_staffed_needs_director_with_lived_experience(wh):
    load(
        wh,
        [
            full_package(
                "NY-0001",
                org=organization("NY-0001", director_lived_experience=False),
                workforce=staff(peers=10, peers_lived=10),
            )
        ],
    )
    assert _grantee(wh)["peer_staffed"] is False


def test_fiscally_sponsored_is_independent(wh):
    load(wh, [full_package("NY-0001", org=organization("NY-0001", legal_status="fiscally_sponsored"))])
    assert _grantee(wh)["independent"] is True


def test_several_failures_listed_in_order(wh):
    org = organization(
        "NY-0001", legal_status="government_unit", accountable=False, director_lived_experience=False
    )
    load(wh, [full_package("NY-0001", org=org)])
    g = _grantee(wh)
    assert g["failed"] == "independent, accountable, peer_staffed"
    assert g["class"] == "other"
