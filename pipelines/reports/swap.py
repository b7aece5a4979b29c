"""Put a freshly rendered site in place of the live one in one step, so a reader or a failed render never
leaves a half-written site behind.

The new site is rendered in a sibling folder (same file system, so a rename moves it). Linux swaps the two
folders atomically with renameat2(RENAME_EXCHANGE); where that call is missing, the old folder is renamed
aside and the new one into place (two renames: a reader may find no site for that instant, never a mixed one).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import uuid
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_dir(target: Path) -> Path:
    """An empty folder beside `target` to render into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.new-{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    return staging


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False when the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(staging: Path, target: Path) -> None:
    """Make `staging` the folder at `target`; the previous content of `target` is removed afterwards."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)
        return
    old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:12]}"
    os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old)
