"""An independent checker scans every published file for small people counts and recoverable hidden cells."""

from __future__ import annotations

from pathlib import Path

from small_cell_checker import check_site


def test_every_published_file_is_free_of_small_counts_and_recoverable_cells(built_site):
    report = check_site(built_site.out_dir)
    assert report.problems == []
    # The scan must really have looked: every page's tables, every CSV, every workbook sheet.
    html = list(built_site.out_dir.rglob("*.html"))
    csvs = list(built_site.out_dir.rglob("*.csv"))
    assert len(html) >= 5 and len(csvs) >= 30
    assert report.tables_checked > 2 * len(csvs)
    assert report.cells_checked > 100


def test_published_files_do_carry_suppressed_cells(built_site):
    text = "".join(p.read_text(encoding="utf-8") for p in built_site.out_dir.rglob("*.csv"))
    assert "<11" in text and ",*" in text


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_checker_finds_planted_leaks(tmp_path):
    _write(tmp_path / "downloads" / "X" / "small.csv", "county,participants_served\nA,7\nB,40\nTotal,47\n")
    _write(
        tmp_path / "downloads" / "X" / "one_hidden.csv", "county,participants_served\nA,<11\nB,40\nTotal,47\n"
    )
    _write(
        tmp_path / "downloads" / "X" / "pinned.csv",
        "county,participants_served\nA,<11\nB,<11\nC,100\nTotal,120\n",
    )
    _write(
        tmp_path / "downloads" / "X" / "share.csv",
        "measure,respondents,improved,improved_share\nhope,40,<11,0.2\n",
    )
    _write(
        tmp_path / "downloads" / "X" / "ratio.csv",
        "state,participants_served,funding_usd,funding_per_participant\nRI,<11,1000,125.0\n",
    )
    _write(
        tmp_path / "downloads" / "X" / "change.csv",
        "period,participants_served,participants_served_change\nFY1,<11,\nFY2,50,45\n",
    )
    _write(
        tmp_path / "page.html",
        '<table data-slug="t"><thead><tr><th data-column="name">N</th><th data-column="respondents">R</th></tr></thead>'
        "<tbody><tr><th>a</th><td>3</td></tr></tbody></table>",
    )
    problems = "\n".join(check_site(tmp_path).problems)
    assert "small.csv: participants_served='7'" in problems
    assert "one_hidden.csv: participants_served of 'A' can be worked out" in problems
    assert (
        "pinned.csv: participants_served of 'A'" in problems
        and "pinned.csv: participants_served of 'B'" in problems
    )
    assert "share.csv: improved_share published" in problems
    assert "ratio.csv: funding_per_participant published" in problems
    assert "change.csv: participants_served_change published" in problems
    assert "page.html#t: respondents='3'" in problems
