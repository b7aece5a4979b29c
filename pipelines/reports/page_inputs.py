"""What a state page is built from, fingerprinted, so that a page whose inputs did not change is not built at all.

A state page (PageBuilder.state) reads only its own rows of every landscape frame (`Landscape.by_state`), the
reference data (dim_state), the contract and the reports code, and the protected people counts of its own
scope: every cell key (measure, period, scope, state, ...) naming the state at index 3 (its served count of
every fiscal year, its counties, urbanicities, program types and outcomes; the site audit traces the page's
tables to exactly these cells). The fingerprint is a SHA-256 of all of these, the frames as Arrow IPC
(`frame_bytes`: equal bytes, equal frames). When it equals the one the live site's manifest records for the page, the page's files are the ones
built and audited from the very same inputs, so they are taken over without building the page again.
tests/reports/test_incremental_site.py checks that a state page asks for no count outside its own scope.
"""

from __future__ import annotations

import hashlib
import io
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import fields

import polars as pl

from pipelines.reports.data import Landscape
from pipelines.reports.reuse import code_version
from pipelines.reports.suppression import Suppressed


def frame_bytes(frame: pl.DataFrame) -> bytes:
    """The frame, losslessly, as Arrow IPC (a copy of its buffers: quick). IPC copies whatever bytes lie under a
    null, so every column with nulls is written as its null mask and its values with a fixed value under each
    null; strings are written as offsets and bytes (never views into buffers other rows share)."""
    nullable = [
        name for name, series in zip(frame.columns, frame.get_columns(), strict=True) if series.has_nulls()
    ]
    plain = frame
    if nullable:
        schema = frame.schema
        plain = frame.with_columns(
            *(
                pl.col(n).fill_null(pl.lit("" if schema[n] == pl.String else 0).cast(schema[n]))
                for n in nullable
            ),
            *(pl.col(n).is_null().alias(f"{n}\0null") for n in nullable),
        )
    buffer = io.BytesIO()
    plain.rechunk().write_ipc(buffer, compression="uncompressed", compat_level=pl.CompatLevel.oldest())
    return buffer.getvalue()


def state_scope(key: Hashable) -> str | None:
    """The state whose page may show this cell (None: a national cell)."""
    return key[3] if isinstance(key, tuple) and len(key) > 3 and isinstance(key[3], str) else None


def cells_by_state(counts: Suppressed) -> dict[str, list]:
    """Each state's protected cells, in a fixed order: one pass over every cell, not one per page."""
    out: dict[str, list] = defaultdict(list)
    for key, cell in counts.cells.items():
        state = state_scope(key)
        if state is not None:
            out[state].append((key, cell))
    return {state: sorted(cells, key=lambda kc: repr(kc[0])) for state, cells in out.items()}


class StateInputs:
    """Fingerprints of every state page's inputs for one render."""

    def __init__(
        self, land: Landscape, by_state: dict[str, Landscape], counts: Suppressed, single_file: bool
    ):
        self.by_state = by_state
        self.cells = cells_by_state(counts)
        self.common = hashlib.sha256(
            f"{code_version()}\0{single_file}\0".encode() + frame_bytes(land.dim_state)
        ).digest()

    def fingerprint(self, state: str) -> str:
        digest = hashlib.sha256(self.common + state.encode() + b"\0")
        land = self.by_state[state]
        for f in fields(land):
            if f.name != "dim_state":
                digest.update(f.name.encode() + b"\0" + frame_bytes(getattr(land, f.name)) + b"\0")
        digest.update(repr(self.cells.get(state, [])).encode())
        return digest.hexdigest()
