"""The machine a benchmark ran on, and the peak resident memory of this process (whole run, or per stage)."""

from __future__ import annotations

import os
import platform
import resource
import sys


def _memory_gb() -> float | None:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": _memory_gb(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        # The machine may be shared: the load average at the start says how much else was running.
        "load_average_1m_at_start": round(load[0], 2) if load else None,
    }


def _kilobytes_to_mb(value: int) -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    return round(value / 1024 / (1024 if sys.platform == "darwin" else 1), 1)


def peak_rss_mb() -> dict[str, float]:
    """Peak RSS of this process (ru_maxrss). Children are not reported: a child forked from a large process
    (git, for the site's version) counts the parent's pages until it execs, so its maximum means nothing."""
    return {"self": _kilobytes_to_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)}


_STATUS = "/proc/self/status"
_CLEAR_REFS = "/proc/self/clear_refs"


def reset_peak_rss() -> bool:
    """Start a new peak (Linux: VmHWM := current RSS), so each stage's own peak can be read; False if unsupported."""
    try:
        with open(_CLEAR_REFS, "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def stage_peak_rss_mb() -> float | None:
    """This process's peak RSS since the last reset_peak_rss (VmHWM), or None where /proc is not available."""
    try:
        with open(_STATUS, encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        pass
    return None
