"""A grantee resends one CSV package with one figure corrected: the file changes in place, newer mtime."""

from __future__ import annotations

import csv
import io
import os
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.contract import load_contract
from pipelines.generate import GenerationManifest, ManifestPackage


@dataclass(frozen=True)
class Resubmission:
    package: ManifestPackage
    file: Path
    column: str
    before: str
    after: str


def pick_package(manifest: GenerationManifest) -> ManifestPackage:
    """A clean CSV package of the last period, in the state with the most packages: the costliest partition."""
    last = max(manifest.periods)
    candidates = [p for p in manifest.packages if p.period == last and p.kind == "csv" and p.mistake is None]
    if not candidates:
        raise ValueError("the generated landing has no clean CSV package in its last period to resubmit")
    sizes: dict[str, int] = {}
    for p in manifest.packages:
        if p.period == last:
            sizes[p.state] = sizes.get(p.state, 0) + 1
    return min(candidates, key=lambda p: (-sizes[p.state], p.grantee_id))


def _whole_count(table: str) -> str | None:
    """A required people count no other column caps: raising it keeps every part-whole rule satisfied."""
    for column in load_contract().tables[table].columns:
        if column.people_count and column.required and column.max_column is None and column.type == "int":
            return column.name
    return None


def _table_file(folder: Path, table: str) -> Path | None:
    return next(
        (p for p in sorted(folder.iterdir()) if p.stem.lower() == table and p.suffix.lower() == ".csv"), None
    )


def resubmit(landing: Path, package: ManifestPackage) -> Resubmission:
    """Raise one people count of the package's first data row by one and rewrite the file as the grantee would."""
    folder = landing / package.path
    for table in load_contract().tables:
        column, file = _whole_count(table), _table_file(folder, table)
        if column is None or file is None:
            continue
        data = file.read_bytes()
        bom = data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        if len(rows) < 2 or column not in rows[0] or not rows[1][rows[0].index(column)].strip().isdigit():
            continue
        index = rows[0].index(column)
        before = rows[1][index]
        rows[1][index] = str(int(before) + 1)
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        file.write_bytes(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))
        now = time.time_ns()
        os.utime(file, ns=(now, now))
        os.utime(folder, ns=(now, now))
        return Resubmission(package, file, column, before, rows[1][index])
    raise ValueError(f"{package.path} has no people count to correct")
