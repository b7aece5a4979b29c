from __future__ import annotations

import pytest

from pipelines.validate.roster import RosterError, is_on_roster, read_roster


def _write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_periods_are_inclusive_and_an_empty_last_period_is_open(tmp_path):
    roster = read_roster(
        _write(
            tmp_path,
            "\ufeffGrantee_ID , organization_name,first_period,last_period\n"
            "NY-0042,Hudson Peer Center,FY2023,FY2025\n"
            "NY-0100, Open Door ,FY2025,\n",
        )
    )
    assert roster.height == 2
    assert [is_on_roster(roster, "NY-0042", p) for p in ("FY2022", "FY2023", "FY2025", "FY2026")] == [
        False,
        True,
        True,
        False,
    ]
    assert is_on_roster(roster, "NY-0100", "FY2040")
    assert not is_on_roster(roster, "NY-0100", "FY2024")
    assert not is_on_roster(roster, "ny-0042", "FY2024")  # ids are case-sensitive


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "grantee_id,organization_name,first_period\nNY-0042,X,FY2024\n",
            None,
        ),  # last_period optional column
        ("grantee_id,organization_name\nNY-0042,X\n", "lacks first_period"),
        ("grantee_id,organization_name,first_period,last_period\nNY42,X,FY2024,\n", "grantee_id 'NY42'"),
        ("grantee_id,organization_name,first_period,last_period\nNY-0042,X,2024,\n", "first_period '2024'"),
        (
            "grantee_id,organization_name,first_period,last_period\nNY-0042,,FY2024,\n",
            "organization_name is empty",
        ),
        (
            "grantee_id,organization_name,first_period,last_period\nNY-0042,X,FY2025,FY2024\n",
            "before first_period",
        ),
        ("grantee_id,grantee_id,organization_name,first_period\n", "more than once"),
        ("", "is empty"),
    ],
)
def test_a_roster_breaking_its_own_columns_is_refused_with_a_clear_message(tmp_path, text, fragment):
    path = _write(tmp_path, text)
    if fragment is None:
        assert read_roster(path).height == 1
        return
    with pytest.raises(RosterError, match=fragment):
        read_roster(path)


def test_undecodable_roster_is_refused(tmp_path):
    # 0x81 is neither UTF-8 here nor defined in Windows-1252 (a Windows-1252 roster is read, as any CSV)
    path = tmp_path / "roster.csv"
    path.write_bytes(b"grantee_id,organization_name,first_period\nNY-0042,Caf\x81,FY2024\n")
    with pytest.raises(RosterError, match="UTF-8"):
        read_roster(path)
