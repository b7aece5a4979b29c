"""The refactor check itself: equal homes compare equal, a changed figure anywhere is reported."""

import sys
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from compare_homes import compare  # noqa: E402


def _home(root: Path, served: int, received: str) -> Path:
    (root / "reports").mkdir(parents=True)
    (root / "reports" / "index.csv").write_text(f"state,served\nVT,{served}\n")
    (root / "reports" / "run.json").write_text(f'{{"home": "{root}", "at": "{received}"}}')
    book = Workbook()
    book.active.append(["VT", served])
    book.save(root / "reports" / "table.xlsx")
    con = duckdb.connect(str(root / "landscape.duckdb"))
    frame = pl.DataFrame(
        {"state": ["VT"], "served": [served], "received_at": [datetime.fromisoformat(received)]}
    )
    con.from_arrow(frame.to_arrow()).create("served")
    con.close()
    (root / "logs").mkdir()
    (root / "logs" / "run.log").write_text(received)
    return root


def test_homes_that_differ_only_in_home_path_and_times_compare_equal(tmp_path):
    a = _home(tmp_path / "a", 12, "2026-11-30 12:04:00")
    b = _home(tmp_path / "b", 12, "2026-11-30 12:06:34.5")
    assert compare(a, b) == []


def test_a_changed_figure_is_reported_in_every_kind_of_file(tmp_path):
    a = _home(tmp_path / "a", 12, "2026-11-30 12:04:00")
    b = _home(tmp_path / "b", 13, "2026-11-30 12:04:00")
    found = "\n".join(compare(a, b))
    for name in ("index.csv", "table.xlsx", "landscape.duckdb: main.served"):
        assert name in found


def test_a_file_present_on_one_side_only_is_reported(tmp_path):
    a = _home(tmp_path / "a", 12, "2026-11-30 12:04:00")
    b = _home(tmp_path / "b", 12, "2026-11-30 12:04:00")
    (b / "reports" / "extra.html").write_text("<p>new</p>")
    assert compare(a, b) == ["only in B: reports/extra.html"]
