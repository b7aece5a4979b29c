"""What a generation run wrote: every package with its grantee, period, kind and injected mistake.

The manifest lives outside the landing tree (a stray file there would be logged as unknown). Paths in it
are relative to the landing root, so two runs into different folders give the same manifest.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path


@dataclass(frozen=True)
class ManifestPackage:
    path: str  # relative to the landing root, '/'-separated
    state: str
    period: str
    grantee_id: str
    kind: str  # csv | xlsx
    mistake: str | None  # name of the injected mistake (see mistakes.MISTAKES); None = clean
    expected_rule: str | None  # the rule id the mistake should draw
    peer_class: str  # peer_run | peer_partnered | other, of the clean content
    outcomes: str  # rows | header_only | absent
    mtime: int  # seconds since the epoch, as set on the files
    wave: int = 1
    resubmission: str | None = None  # wave > 1: fix | correction | identical


@dataclass
class GenerationManifest:
    seed: int
    periods: list[str]
    scale: float
    error_rate: float
    states: list[str]
    wave: int = 1
    packages: list[ManifestPackage] = field(default_factory=list)
    rosters: list[str] = field(default_factory=list)
    not_submitted: list[tuple[str, str]] = field(
        default_factory=list
    )  # (grantee_id, period) on roster, not sent

    @property
    def mistaken(self) -> list[ManifestPackage]:
        return [p for p in self.packages if p.mistake]

    def to_json(self) -> str:
        data = asdict(self)
        data["not_submitted"] = [list(item) for item in self.not_submitted]
        return json.dumps(data, indent=1, sort_keys=True) + "\n"

    def to_csv(self) -> str:
        names = [f.name for f in fields(ManifestPackage)]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        for package in self.packages:
            writer.writerow({k: "" if v is None else v for k, v in asdict(package).items()})
        return buffer.getvalue()

    def write(self, path: Path) -> Path:
        """JSON (everything) unless the file name ends in .csv (one row per package)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_csv() if path.suffix.lower() == ".csv" else self.to_json(), encoding="utf-8")
        return path

    @classmethod
    def from_json(cls, text: str) -> GenerationManifest:
        data = json.loads(text)
        data["packages"] = [ManifestPackage(**p) for p in data["packages"]]
        data["not_submitted"] = [tuple(item) for item in data["not_submitted"]]
        return cls(**data)
