"""The guide's *Published text* rule: CSV text a spreadsheet could evaluate gets a leading apostrophe.

Used by every CSV the pipeline writes for people (feedback, downloads); the warehouse keeps values verbatim.
"""

from __future__ import annotations

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value to write: text starting like a formula is prefixed with an apostrophe; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of a frame neutralised; numbers, dates and nulls are left alone."""
    pattern = "^[" + "".join("\\" + c if c in "+-" else c for c in FORMULA_STARTS) + "]"
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.Utf8
    )
