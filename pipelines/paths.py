"""Where the project's own files live (repo-relative) and where a deployment writes (LANDSCAPE_HOME)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import setting

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = PROJECT_ROOT / "reference"
SQL_DIR = PROJECT_ROOT / "sql"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
REPORTS_TEMPLATE_DIR = PROJECT_ROOT / "reports"


@dataclass(frozen=True)
class HomeLayout:
    """Every path the pipeline writes, derived from LANDSCAPE_HOME."""

    home: Path
    landing: Path

    @classmethod
    def from_env(cls) -> HomeLayout:
        home = Path(setting("LANDSCAPE_HOME") or PROJECT_ROOT / "data").resolve()
        landing = Path(setting("LANDSCAPE_LANDING") or home / "landing").resolve()
        return cls(home=home, landing=landing)

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse" / "landscape.duckdb"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def feedback(self) -> Path:
        return self.home / "feedback"

    @property
    def analyst(self) -> Path:
        """Restricted: the analysts' exact copies (warehouse, Parquet, dictionary). Never part of the public site."""
        return self.home / "analyst"

    @property
    def analyst_warehouse(self) -> Path:
        return self.analyst / "warehouse.duckdb"

    @property
    def legacy_published(self) -> Path:
        """Where earlier releases kept the analysts' copies; cleared when the analyst folder is written."""
        return self.home / "published"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def alerts(self) -> Path:
        return self.home / "alerts"

    @property
    def intake_log(self) -> Path:
        return self.home / "intake" / "intake_log.csv"
