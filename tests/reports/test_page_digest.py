"""A state page's input fingerprint tells apart any two frames that differ: in a value, a null, the order of
rows or the type of a column (pipelines/reports/page_inputs.py, frame_digest)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.reports.page_inputs import digests_by_state, frame_digest

rows = st.lists(
    st.tuples(
        st.sampled_from(["NY", "PR", "", None]),
        st.one_of(st.none(), st.integers(-(2**40), 2**40)),
        st.one_of(st.none(), st.decimals(min_value=-(10**6), max_value=10**6, places=2)),
    ),
    min_size=1,
    max_size=30,
)
SCHEMA = {"state": pl.String, "served": pl.Int64, "amount": pl.Decimal(18, 2)}


def _frame(data: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(data, schema=SCHEMA, orient="row")


@settings(max_examples=200, deadline=None)
@given(data=rows, at=st.integers(0, 29), column=st.integers(0, 2), other=rows)
def test_frames_that_differ_in_one_cell_have_different_digests(data, at, column, other):
    row = list(data[at % len(data)])
    replacement = other[0][column]
    if replacement == row[column] and type(replacement) is type(row[column]):
        replacement = {0: "XX", 1: -1 if row[1] != -1 else 1, 2: Decimal("0.01") + (row[2] or 0)}[column]
    row[column] = replacement
    changed = [*data]
    changed[at % len(data)] = tuple(row)
    assert frame_digest(_frame(data)) == frame_digest(_frame(list(data)))
    assert frame_digest(_frame(changed)) != frame_digest(_frame(data))


def test_nulls_order_and_types_count():
    base = _frame([("NY", 0, Decimal("1.00")), ("PR", None, None)])
    assert frame_digest(base) != frame_digest(_frame([("NY", None, Decimal("1.00")), ("PR", None, None)]))
    assert frame_digest(base) != frame_digest(_frame([("", 0, Decimal("1.00")), ("PR", None, None)]))
    assert frame_digest(base) != frame_digest(base.reverse())
    assert frame_digest(base) != frame_digest(base.with_columns(pl.col("served").cast(pl.Int32)))
    assert frame_digest(base.clear()) != frame_digest(base.clear().drop("amount"))


@settings(max_examples=200, deadline=None)
@given(data=rows)
def test_one_pass_digests_are_each_states_own_frame_digest(data):
    """digests_by_state (one hash pass, one sort) gives each state what frame_digest gives its rows alone, in
    their order; a state with no row gets the digest of the empty frame."""
    frame = _frame([row for row in data if row[0] is not None])
    states = ["NY", "PR", "", "VT"]
    expected = {s: frame_digest(frame.filter(pl.col("state") == s)) for s in states}
    assert digests_by_state(frame, states) == expected
    assert expected["VT"] == frame_digest(frame.clear())
