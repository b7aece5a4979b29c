"""The site audit's read-back catches a file changed after it was written, in each way its fast paths could miss.

The audit compares a workbook's columns with the table's download columns (numbers to four decimals, text
exactly), a CSV's bytes with the CSV its columns make, and a page's cells with format_cell's text, stripping
only the cells that hold a tag or an entity. Each test changes one written file just before the audit reads it
and expects the publication to stop.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from pipelines.reports.audit import DisclosureError
from pipelines.reports.site import build_site
from pipelines.reports.site_audit import SiteAudit


def _tamper_before_audit(monkeypatch, tamper) -> None:
    original = SiteAudit.check_page

    def tamper_then_check(self, page, path, **kwargs):
        if page.key == "US":
            tamper(self.out_dir, path)
        return original(self, page, path, **kwargs)

    monkeypatch.setattr(SiteAudit, "check_page", tamper_then_check)


def _rewrite_sheet(workbook: Path, sheet: int, change) -> None:
    """Rewrite one sheet's XML of a workbook (the other parts as they were)."""
    with zipfile.ZipFile(workbook) as book:
        parts = [(info, book.read(info.filename)) for info in book.infolist()]
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as book:
        for info, data in parts:
            if info.filename == f"xl/worksheets/sheet{sheet}.xml":
                changed = change(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), "the tampering must change the sheet"
                data = changed.encode("utf-8")
            book.writestr(info, data)


def _people_cell_ref(out_dir: Path) -> tuple[int, str]:
    """(sheet number, cell reference) of a visible people count in the national workbook's states sheet."""
    from pipelines.reports.read_back import read_workbook_columns

    sheets = read_workbook_columns(out_dir / "downloads" / "US.xlsx")
    names = list(sheets)
    columns = sheets["states"]
    j = next(j for j, c in enumerate(columns) if c[0] == "participants_served")
    i = next(i for i, v in enumerate(columns[j]) if i and v not in (None, "", "<11", "*"))
    return names.index("states") + 1, f"{chr(ord('A') + j)}{i + 1}"


def test_a_people_count_changed_in_a_workbook_is_caught(fixture_warehouse, tmp_path, monkeypatch):
    def tamper(out_dir: Path, _page: Path) -> None:
        sheet, ref = _people_cell_ref(out_dir)

        def plus_one(xml: str) -> str:
            return re.sub(
                rf'(<c r="{ref}" t="n"><v>)([^<]*)(</v>)',
                lambda m: f"{m.group(1)}{int(float(m.group(2))) + 1}{m.group(3)}",
                xml,
            )

        _rewrite_sheet(out_dir / "downloads" / "US.xlsx", sheet, plus_one)

    _tamper_before_audit(monkeypatch, tamper)
    with pytest.raises(DisclosureError, match="US.xlsx: sheet states differs from the protected table"):
        build_site(fixture_warehouse.path, tmp_path / "site", run_id="tampered")


def test_a_small_count_mark_replaced_by_its_number_in_a_workbook_is_caught(
    fixture_warehouse, tmp_path, monkeypatch
):
    def tamper(out_dir: Path, _page: Path) -> None:
        workbook = out_dir / "downloads" / "US.xlsx"
        with zipfile.ZipFile(workbook) as book:
            sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
            marked = next(n for n in sheets if b"&lt;11</t>" in book.read(n))
        number = int(re.search(r"sheet(\d+)\.xml", marked).group(1))
        # The text "<11" becomes the number 7: same cell, a value the mark was hiding.
        _rewrite_sheet(
            workbook,
            number,
            lambda xml: re.sub(r't="inlineStr"><is><t>&lt;11</t></is>', 't="n"><v>7</v>', xml, count=1),
        )

    _tamper_before_audit(monkeypatch, tamper)
    with pytest.raises(DisclosureError, match=r"US.xlsx: sheet \w+ differs from the protected table"):
        build_site(fixture_warehouse.path, tmp_path / "site", run_id="tampered")


def test_a_value_written_past_the_last_column_of_a_sheet_is_caught(fixture_warehouse, tmp_path, monkeypatch):
    def tamper(out_dir: Path, _page: Path) -> None:
        sheet, ref = _people_cell_ref(out_dir)
        row = re.sub(r"\D", "", ref)
        _rewrite_sheet(
            out_dir / "downloads" / "US.xlsx",
            sheet,
            lambda xml: xml.replace(
                f'<row r="{row}">', f'<row r="{row}"><c r="Z{row}" t="n"><v>7</v></c>', 1
            ),
        )

    _tamper_before_audit(monkeypatch, tamper)
    with pytest.raises(DisclosureError, match="US.xlsx: sheet states differs from the protected table"):
        build_site(fixture_warehouse.path, tmp_path / "site", run_id="tampered")


def test_a_page_cell_changed_inside_a_tag_or_an_entity_is_caught(fixture_warehouse, tmp_path, monkeypatch):
    def tamper(_out_dir: Path, page: Path) -> None:
        text = page.read_text(encoding="utf-8")
        # A hidden count's cell now carries its value in markup: read back, the cell shows "7".
        changed = text.replace("&lt;11</td>", "<span>7</span></td>", 1)
        assert changed != text
        page.write_text(changed, encoding="utf-8")

    _tamper_before_audit(monkeypatch, tamper)
    with pytest.raises(DisclosureError, match=r"index.html: table \w+ differs from the protected table"):
        build_site(fixture_warehouse.path, tmp_path / "site", run_id="tampered")


def test_a_csv_changed_in_one_byte_is_caught(fixture_warehouse, tmp_path, monkeypatch):
    def tamper(out_dir: Path, _page: Path) -> None:
        csv = out_dir / "downloads" / "US" / "states.csv"
        text = csv.read_text(encoding="utf-8")
        csv.write_text(text.replace("\n", "\r\n", 1), encoding="utf-8")  # what a reader sees is unchanged

    _tamper_before_audit(monkeypatch, tamper)
    with pytest.raises(DisclosureError, match="US/states.csv differs from the protected table"):
        build_site(fixture_warehouse.path, tmp_path / "site", run_id="tampered")


def test_a_table_without_a_slug_slipped_onto_a_page_is_caught(fixture_warehouse, tmp_path, monkeypatch):
    def tamper(_out_dir: Path, page: Path) -> None:
        text = page.read_text(encoding="utf-8")
        # A table the read-back cannot name: its people count would go unchecked.
        extra = "<TABLE class='x'><tr><th>People served</th></tr><tr><td>7</td></tr></TABLE>"
        page.write_text(text.replace("</main>", extra + "</main>", 1), encoding="utf-8")
        assert extra in page.read_text(encoding="utf-8")

    _tamper_before_audit(monkeypatch, tamper)
    with pytest.raises(DisclosureError, match="index.html: a table without data-slug cannot be traced"):
        build_site(fixture_warehouse.path, tmp_path / "site", run_id="tampered")
