"""The site's workbook writer writes, part for part, what openpyxl's write-only mode writes for the same rows
(only the creation time in docProps/core.xml differs), and refuses what openpyxl refuses."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import IllegalCharacterError

from pipelines.reports.xlsx import write_workbook

AWKWARD_TEXT = [
    "plain", "", " leading", "trailing ", "  ", "a & b < c > d", '"quoted" \'too\'', "=SUM(A1:A2)", "'=neutralised",
    "#N/A", "line\nbreak", "tab\there", "carriage\rreturn", "ünïcødé — “quotes” 中文 🙂", "x" * 40_000, "<t>not a tag</t>",
]  # fmt: skip
NUMBERS = [0, 1, -7, 10**17, 2**53 + 1, 0.1234, 70139.73999999999, -0.0, 1e-7, 123456789.1234, True, False]


def _openpyxl(sheets: list[tuple[str, list[list]]], path) -> None:
    """The writer the site used before: openpyxl's streaming mode, text forced to string cells."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
    workbook.save(path)


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


@pytest.mark.parametrize(
    "sheets",
    [
        [("headline", [["period", "grantees"], ["FY2026", 3], ["FY2025", None]])],
        [("text", [["value"], *([t] for t in AWKWARD_TEXT)]), ("numbers", [["n"], *([n] for n in NUMBERS)])],
        [
            ("gaps", [["a", "b", "c"], [None, "x", None], [None, None, None], ["y", None, 2.5], ["z"]]),
            ("one", [["only"]]),
        ],
        [(f"s{i}", [["k", "v"], [f"row {i}", i * 1.5]]) for i in range(14)],  # sheet10 sorts before sheet2
    ],
)
def test_parts_are_openpyxls(sheets, tmp_path):
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    write_workbook(sheets, ours)
    _openpyxl(sheets, theirs)
    assert _parts(ours) == _parts(theirs)
    with zipfile.ZipFile(ours) as book, zipfile.ZipFile(theirs) as reference:
        assert book.namelist() == reference.namelist()


def test_text_openpyxl_refuses_is_refused(tmp_path):
    with pytest.raises(IllegalCharacterError):
        write_workbook([("bad", [["a\x01b"]])], tmp_path / "bad.xlsx")
