"""What a render can take over from the live site instead of writing again.

A page's files (HTML, one CSV per table, the workbook) depend on the page's content, on the code and
templates that write them, and, in the footer line only, on the run. Each site carries a manifest
(MANIFEST_NAME, written last, swapped in with the site) naming, for every page, the fingerprint of its content
and the SHA-256 of each file as written and audited. A new render whose page has the same fingerprint, under
the same code version, takes that page's files from the live site when they still hash as recorded: the
downloads as hard links (nothing is written), the HTML with its footer line re-stamped for the new run. Any
doubt (no manifest, other code, a file changed or missing) renders the page again, so a reused site is
byte-identical to one rendered from scratch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import plotly

from pipelines.contract.model import CONTRACT_FILE
from pipelines.paths import PROJECT_ROOT, REPORTS_TEMPLATE_DIR, SQL_DIR
from pipelines.reports.files import file_hash, link_or_copy
from pipelines.reports.pages import Page
from pipelines.reports.render import TOPOLOGY

__all__ = [
    "MANIFEST_NAME",
    "Manifest",
    "PageRecord",
    "code_version",
    "file_hash",
    "link_or_copy",
    "page_fingerprint",
]

MANIFEST_NAME = ".render-manifest.json"
MANIFEST_FORMAT = 2
CODE_DIRS = (PROJECT_ROOT / "pipelines" / "reports", REPORTS_TEMPLATE_DIR)


@cache
def code_version() -> str:
    """Everything besides a page's content that decides its files: the reports code, templates and assets,
    the table columns, the contract, the map and the plotly version."""
    files = sorted(p for d in CODE_DIRS for p in d.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += [SQL_DIR / "reports" / "columns.yaml", CONTRACT_FILE, TOPOLOGY]
    digest = hashlib.sha256(plotly.__version__.encode())
    for path in files:
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def page_fingerprint(page: Page, single_file: bool) -> str:
    """The page's whole content (every table, chart, headline and title, as shown) and how it is written."""
    return hashlib.sha256(f"{code_version()}\0{single_file}\0{page!r}".encode()).hexdigest()


@dataclass
class PageRecord:
    fingerprint: str
    files: dict[str, str]  # path relative to the site -> SHA-256 of the file as written and audited
    inputs: str | None = None  # what the page was built from (page_inputs.py), when it is a state page


@dataclass
class Manifest:
    build: dict[str, str]
    pages: dict[str, PageRecord] = field(default_factory=dict)

    @classmethod
    def read(cls, site: Path) -> Manifest | None:
        """The live site's manifest; None when there is none or it cannot be read (then nothing is reused)."""
        try:
            data = json.loads((site / MANIFEST_NAME).read_text(encoding="utf-8"))
            if data.get("format") != MANIFEST_FORMAT:
                return None
            pages = {
                key: PageRecord(p["fingerprint"], dict(p["files"]), p.get("inputs"))
                for key, p in data["pages"].items()
            }
            return cls(dict(data["build"]), pages)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def write(self, site: Path) -> Path:
        path = site / MANIFEST_NAME
        pages = {
            k: {"fingerprint": p.fingerprint, "files": p.files, **({"inputs": p.inputs} if p.inputs else {})}
            for k, p in sorted(self.pages.items())
        }
        data = {"format": MANIFEST_FORMAT, "build": self.build, "pages": pages}
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return path

    def reusable(self, live: Path, key: str, fingerprint: str, files: list[Path]) -> bool:
        """The live site holds this page's files exactly as they were written for the same content."""
        record = self.pages.get(key)
        if record is None or record.fingerprint != fingerprint:
            return False
        if set(record.files) != {p.as_posix() for p in files}:
            return False
        return self.intact(live, record)

    def built_from(self, live: Path, key: str, inputs: str) -> PageRecord | None:
        """The page's record when the live site holds its files exactly as written and audited for pages built
        from these very inputs (then the page need not be built again); None otherwise."""
        record = self.pages.get(key)
        if record is None or record.inputs is None or record.inputs != inputs:
            return None
        return record if self.intact(live, record) else None

    @staticmethod
    def intact(live: Path, record: PageRecord) -> bool:
        try:
            return all(file_hash(live / name) == sha for name, sha in record.files.items())
        except OSError:
            return False


def restamp(html: str, old_stamp: str, new_stamp: str) -> str | None:
    """The page with the previous run's footer line replaced by this run's; None if it is not there once."""
    if html.count(old_stamp) != 1:
        return None
    return html.replace(old_stamp, new_stamp)
