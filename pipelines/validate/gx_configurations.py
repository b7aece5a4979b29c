"""Each GX expectation's configuration derived once per validation, not once per read.

GX 1.x derives `Expectation.configuration` afresh on every read (a pydantic `dict()` of the whole
expectation), and reads it once per keyword while it validates: for a one-package batch that is a third of
GX's time. While a validation runs, GX only reads its expectations (it validates copies it made itself), so
inside `derived_once()` the property keeps the first configuration it derives per expectation instance.
Outside the block GX's own property is back, so a later change to an expectation is seen as GX would see it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_users = 0
_derived: dict[int, tuple[object, object]] = {}  # id(expectation) -> (expectation, its configuration)
_original: property | None = None


def _memoized(derive):
    def configuration(expectation):
        held = _derived.get(id(expectation))
        if held is None or held[0] is not expectation:
            # The expectation itself is kept with its configuration, so its id cannot be reused in the block.
            held = _derived[id(expectation)] = (expectation, derive(expectation))
        return held[1]

    return property(configuration)


@contextmanager
def derived_once() -> Iterator[None]:
    """Within the block (nestable, thread-safe), every expectation's configuration is derived at most once."""
    global _users, _original
    from great_expectations.expectations.expectation import Expectation

    with _lock:
        if _users == 0:
            _original = Expectation.__dict__["configuration"]
            Expectation.configuration = _memoized(_original.fget)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                Expectation.configuration = _original
                _original = None
                _derived.clear()
