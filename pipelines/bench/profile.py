"""Where the time goes: a pyinstrument sample of a stage, reduced to its top functions.

Sampling slows Python-heavy code, so the profiled stage is never one of the timed ones: the benchmark profiles
a separate, smaller rebuild and keeps only the shares, which is what says where to look.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pyinstrument import Profiler

SAMPLE_INTERVAL_S = 0.005
TOP = 20


@dataclass(frozen=True)
class Profiled:
    seconds: float
    result: Any
    top_self: list[dict]  # functions by the time spent in their own code
    top_total: list[dict]  # functions by the time spent in them and what they call


def _name(frame) -> str:
    return f"{frame.file_path_short}:{frame.line_no} {frame.function}"


def _walk(frame, on_stack: frozenset[str], own: dict[str, float], total: dict[str, float]) -> None:
    name = _name(frame)
    own[name] = own.get(name, 0.0) + frame.total_self_time
    if name not in on_stack:  # a recursive call's time is already counted by its outermost caller
        total[name] = total.get(name, 0.0) + frame.time
    for child in frame.children:
        _walk(child, on_stack | {name}, own, total)


def _top(times: dict[str, float], whole: float, count: int) -> list[dict]:
    ranked = sorted(times.items(), key=lambda kv: -kv[1])[:count]
    return [
        {
            "function": name,
            "seconds": round(seconds, 3),
            "share": round(seconds / whole, 3) if whole else None,
        }
        for name, seconds in ranked
    ]


def profile(stage: Callable[[], Any], top: int = TOP) -> Profiled:
    """Run stage under pyinstrument; the functions holding most of its time, own and inclusive."""
    profiler = Profiler(interval=SAMPLE_INTERVAL_S)
    profiler.start()
    try:
        result = stage()
    finally:
        session = profiler.stop()
    root = session.root_frame()
    own: dict[str, float] = {}
    total: dict[str, float] = {}
    if root is not None:
        _walk(root, frozenset(), own, total)
    whole = session.duration
    return Profiled(whole, result, _top(own, whole, top), _top(total, whole, top))
