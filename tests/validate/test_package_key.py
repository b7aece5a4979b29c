"""A package's key is spelled one way, whether built for one package or for every row of a frame."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from pipelines.validate.model import package_key, package_key_expr

ids = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@given(st.lists(st.tuples(ids, ids, st.integers(0, 10**6)), min_size=1, max_size=20))
def test_the_frame_expression_spells_the_key_as_package_key(rows):
    frame = pl.DataFrame(
        rows, schema={"grantee_id": pl.String, "period": pl.String, "version": pl.Int64}, orient="row"
    )
    assert frame.select(package_key_expr()).to_series().to_list() == [package_key(*row) for row in rows]
