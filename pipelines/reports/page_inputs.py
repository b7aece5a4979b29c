"""What a state page is built from, fingerprinted, so that a page whose inputs did not change is not built at all.

A state page (PageBuilder.state) reads only its own rows of every landscape frame (`Landscape.of_state`; of the
packages, only their count and latest date: package_counts), the
reference data (dim_state), the contract and the reports code, and the protected people counts of its own
scope: every cell key (measure, period, scope, state, ...) naming the state at index 3 (its served count of
every fiscal year, its counties, urbanicities, program types and outcomes; the site audit traces the page's
tables to exactly these cells). The fingerprint is a SHA-256 of all of these, each frame as its schema and a
64-bit hash of each row (`frame_digest`: a change passes unseen only if a changed row's hash collides, about
one chance in 2**64). When it equals the one the live site's manifest records for the page, the page's files are the ones
built and audited from the very same inputs, so they are taken over without building the page again.
tests/reports/test_incremental_site.py checks that a state page asks for no count outside its own scope.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Hashable

import polars as pl

from pipelines.reports.data import FRAMES, Landscape
from pipelines.reports.reuse import code_version
from pipelines.reports.suppression import Suppressed


def frame_digest(frame: pl.DataFrame) -> bytes:
    """A digest of the frame: its schema and Polars' 64-bit hash of every row, in order (nulls hash apart from
    every value). One vectorised pass; the hashes are stable within one Polars version, which the fingerprint
    names, so an upgrade renders every page once rather than taking one over on a different hash."""
    rows = frame.hash_rows(seed=0).to_numpy().tobytes()
    return hashlib.sha256(repr(frame.schema).encode() + b"\0" + rows).digest()


def digests_by_state(frame: pl.DataFrame, states: list[str]) -> dict[str, bytes]:
    """`frame_digest` of each state's rows of the frame (its rows in order, as `partition_by("state")` splits
    them), for every state asked for, from one hash pass over the whole frame and one stable sort by state."""
    head = repr(frame.schema).encode() + b"\0"
    rows = pl.DataFrame({"state": frame.get_column("state"), "hash": frame.hash_rows(seed=0)})
    rows = rows.sort("state", maintain_order=True)
    hashes = rows.get_column("hash").to_numpy()
    digests, start = {}, 0
    for state, count in rows.group_by("state", maintain_order=True).len().iter_rows():
        digests[state] = hashlib.sha256(head + hashes[start : start + count].tobytes()).digest()
        start += count
    empty = hashlib.sha256(head).digest()
    return {state: digests.get(state, empty) for state in states}


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

    def __init__(self, land: Landscape, counts: Suppressed, single_file: bool):
        self.cells = cells_by_state(counts)
        self.common = hashlib.sha256(
            f"{code_version()}\0{pl.__version__}\0{single_file}\0".encode() + frame_digest(land.dim_state)
        ).digest()
        # Each frame as the state pages read it (Landscape.page_rows), hashed once for every state.
        self.frames = {
            name: digests_by_state(land.page_rows(name), land.states)
            for name in FRAMES
            if name != "dim_state"
        }

    def fingerprint(self, state: str) -> str:
        digest = hashlib.sha256(self.common + state.encode() + b"\0")
        for name, digests in self.frames.items():
            digest.update(name.encode() + b"\0" + digests[state])
        digest.update(repr(self.cells.get(state, [])).encode())
        return digest.hexdigest()
