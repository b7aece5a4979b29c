"""The LP audit's verdict on each linked group, kept with the live site so that a group unchanged since then is
not solved again.

A group's verdict (the interval of each hidden cell its LPs could not take to its mark's bounds, and how many
programs that took) depends only on what the group hands the solver: its unknowns, its relations with their
constants, every unknown's bounds, exact value and mark, the threshold, and the audit's own code. The key is
a SHA-256 of all of these, so a verdict is only ever taken for the very question it answered; a group whose
rows, bounds or marks changed in any way (one count, one mark) has another key and is audited again. The
verdicts live in VERDICTS_NAME beside the render manifest, written only with a site that passed the audit
and swapped in with it; a missing or unreadable file means every group is audited.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import scipy

from pipelines.reports import audit_lp

VERDICTS_NAME = ".audit-verdicts.json"
VERDICTS_FORMAT = 1


@cache
def _code() -> str:
    """The solver's code and version: a verdict of other code is no verdict."""
    digest = hashlib.sha256(scipy.__version__.encode())
    for module in (audit_lp,):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).with_name("audit.py").read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Verdict:
    narrowed: tuple[tuple[int, float, float], ...]  # (position among the group's unknowns, low, high)
    lp_solves: int
    ip_solves: int


@dataclass
class Verdicts:
    """The verdicts a render may take (`previous`) and those it reached or took (`current`, to be kept)."""

    previous: dict[str, Verdict] = field(default_factory=dict)
    current: dict[str, Verdict] = field(default_factory=dict)
    reused: int = 0

    @staticmethod
    def key(unknowns: list, rows: list, bounds: dict, truth: Mapping, marks: Mapping, threshold: int) -> str:
        """Everything the group hands the solver, in the order it hands it over."""
        question = (
            threshold,
            unknowns,
            rows,
            [bounds[k] for k in unknowns],
            [truth[k] for k in unknowns],
            [marks.get(k) for k in unknowns],
        )
        return hashlib.sha256(f"{_code()}\0{question!r}".encode()).hexdigest()

    def take(self, key: str) -> Verdict | None:
        verdict = self.previous.get(key)
        if verdict is not None:
            self.current[key] = verdict
            self.reused += 1
        return verdict

    def keep(self, key: str, verdict: Verdict) -> None:
        self.current[key] = verdict

    @classmethod
    def read(cls, site: Path) -> Verdicts:
        """The live site's verdicts; none when there is no file or it cannot be read (then every group is
        audited)."""
        try:
            data = json.loads((site / VERDICTS_NAME).read_text(encoding="utf-8"))
            if data.get("format") != VERDICTS_FORMAT or data.get("code") != _code():
                return cls()
            previous = {
                key: Verdict(
                    tuple((int(i), float(lo), float(hi)) for i, lo, hi in v[0]), int(v[1]), int(v[2])
                )
                for key, v in data["groups"].items()
            }
            return cls(previous)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def write(self, site: Path) -> Path:
        path = site / VERDICTS_NAME
        groups = {k: [list(map(list, v.narrowed)), v.lp_solves, v.ip_solves] for k, v in self.current.items()}
        data = {"format": VERDICTS_FORMAT, "code": _code(), "groups": groups}
        path.write_text(json.dumps(data, sort_keys=True) + "\n", encoding="utf-8")
        return path
