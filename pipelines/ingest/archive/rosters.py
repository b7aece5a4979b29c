"""The rosters' archive: each roster content read, once, as `archive/<STATE>/roster/r<N>/roster.csv`."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from pipelines.ingest.archive.record import MANIFEST, PARTIAL, ROSTER_FOLDER, ROSTER_VERSION
from pipelines.ingest.archive.writer import clear_partials, publish, write_manifest


def _roster_versions(archive_root: Path, state: str) -> list[tuple[int, Path]]:
    folder = archive_root / state / ROSTER_FOLDER
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := ROSTER_VERSION.fullmatch(p.name))]
    return sorted(found)


def latest_roster(archive_root: Path, state: str) -> tuple[str, Path] | None:
    """(r<N>, path of the copy) of the state's last roster read, or None."""
    versions = _roster_versions(archive_root, state)
    if not versions:
        return None
    number, folder = versions[-1]
    return f"r{number}", folder / "roster.csv"


def roster_copy(archive_root: Path, state: str, tag: str) -> Path:
    return archive_root / state / ROSTER_FOLDER / tag / "roster.csv"


def archive_roster(archive_root: Path, state: str, source: Path, received_at: datetime) -> str:
    """Archive a roster file that was read, unless its content is the last one archived; returns r<N>."""
    data = source.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    versions = _roster_versions(archive_root, state)
    if versions:
        number, folder = versions[-1]
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("sha256") == sha:
            return f"r{number}"
    number = versions[-1][0] + 1 if versions else 1
    target = archive_root / state / ROSTER_FOLDER / f"r{number}"
    target.parent.mkdir(parents=True, exist_ok=True)
    clear_partials(target.parent)
    partial = target.parent / f"{target.name}{PARTIAL}{os.getpid()}"
    partial.mkdir()
    with open(partial / "roster.csv", "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(partial / "roster.csv", 0o444)
    write_manifest(
        partial,
        {
            "state": state,
            "received_at": received_at.isoformat(),
            "source_path": str(source),
            "sha256": sha,
            "size_bytes": len(data),
        },
    )
    publish(partial, target)
    return f"r{number}"
