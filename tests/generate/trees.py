"""Helpers to compare generated trees."""

from __future__ import annotations

import os
from pathlib import Path


def snapshot(root: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every path under root -> (bytes for files, None for folders; mtime in ns)."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None, os.stat(p).st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }
