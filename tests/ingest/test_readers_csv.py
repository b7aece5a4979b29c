"""CSV-folder packages: encodings, RFC 4180 records, row numbers, headers, unknown files and folder safety."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from pipelines.ingest.model import ROW_COLUMN
from pipelines.ingest.readers import read_package
from tests.ingest.builders import column, lines, only, rules, write_csv_folder

WORKFORCE_HEADER = "role,headcount,fte,lived_experience_count,certified_count"


def test_bom_crlf_and_case_insensitive_names(package_dir: Path) -> None:
    write_csv_folder(
        package_dir,
        {
            "WorkForce.CSV": "\ufeff Role ,HEADCOUNT,Lived_Experience_Count\r\n"
            "peer_specialist,4,3\r\nvolunteer,2,2\r\n"
        },
    )
    read = read_package(package_dir)
    assert read.findings == []
    frame = read.tables["workforce"]
    assert frame.columns == ["role", "headcount", "lived_experience_count", ROW_COLUMN]
    assert frame.schema[ROW_COLUMN] == pl.Int64
    assert all(frame.schema[c] == pl.Utf8 for c in ("role", "headcount"))
    assert column(read, "workforce", "role") == ["peer_specialist", "volunteer"]
    assert column(read, "workforce", ROW_COLUMN) == [2, 3]


def test_columns_come_in_contract_order_not_file_order(package_dir: Path) -> None:
    write_csv_folder(package_dir, {"workforce.csv": "headcount,role\n3,volunteer\n"})
    assert read_package(package_dir).tables["workforce"].columns == ["role", "headcount", ROW_COLUMN]


def test_quoted_commas_quotes_and_newlines_keep_row_numbers(package_dir: Path) -> None:
    text = (
        "program_id,program_name,program_type\n"
        'p1,"Drop-in, ""Main"" St",drop_in_center\n'
        'p2,"Two\nline\r\nname",warmline\n'
        "p3,After,advocacy\n"
    )
    write_csv_folder(package_dir, {"programs.csv": text})
    read = read_package(package_dir)
    assert column(read, "programs", "program_name") == ['Drop-in, "Main" St', "Two\nline\r\nname", "After"]
    assert column(read, "programs", ROW_COLUMN) == [2, 3, 4]


def test_blank_and_all_empty_rows_are_dropped_but_counted(package_dir: Path) -> None:
    text = "program_id,program_name\np1,One\n\n ,  \n,\np5,Five\n"
    write_csv_folder(package_dir, {"programs.csv": text})
    read = read_package(package_dir)
    assert column(read, "programs", "program_id") == ["p1", "p5"]
    assert column(read, "programs", ROW_COLUMN) == [2, 6]


def test_cells_are_trimmed_nfc_normalised_and_empty_is_null(package_dir: Path) -> None:
    decomposed = "Cafe\u0301"
    write_csv_folder(
        package_dir, {"programs.csv": f"program_id,program_name,program_type\n  p1 , {decomposed} ,  \n"}
    )
    read = read_package(package_dir)
    row = read.tables["programs"].row(0, named=True)
    assert row["program_id"] == "p1"
    assert row["program_name"] == "Caf\u00e9"
    assert row["program_type"] is None


def test_short_records_have_empty_cells_and_empty_extra_fields_are_fine(package_dir: Path) -> None:
    write_csv_folder(
        package_dir, {"programs.csv": "program_id,program_name,program_type\np1\np2,Two,advocacy,, ,\n"}
    )
    read = read_package(package_dir)
    assert read.findings == []
    assert column(read, "programs", "program_name") == [None, "Two"]


def test_cp1252_file_is_read_with_w07(package_dir: Path) -> None:
    write_csv_folder(
        package_dir,
        {"programs.csv": "program_id,program_name\np1,Caf\u00e9 \u2013 Hope\n"},
        encoding="cp1252",
    )
    read = read_package(package_dir)
    assert column(read, "programs", "program_name") == ["Caf\u00e9 \u2013 Hope"]
    w07 = only(read, "W07")
    assert w07.table_name == "programs"
    assert "programs" in w07.message


def test_bytes_neither_utf8_nor_cp1252_are_p01_for_that_table(package_dir: Path) -> None:
    # 0x81 is undefined in Python's strict cp1252 and invalid as UTF-8.
    write_csv_folder(
        package_dir, {"programs.csv": b"program_id\np\x81\n", "workforce.csv": "role\nvolunteer\n"}
    )
    read = read_package(package_dir)
    p01 = only(read, "P01")
    assert p01.table_name == "programs"
    assert "programs" not in read.tables
    assert column(read, "workforce", "role") == ["volunteer"]  # the other tables are still read


def test_nul_bytes_are_p01(package_dir: Path) -> None:
    write_csv_folder(package_dir, {"programs.csv": b"program_id\np\x001\n"})
    read = read_package(package_dir)
    assert only(read, "P01").table_name == "programs"
    assert "NUL" in only(read, "P01").message


def test_utf16_bom_is_p01(package_dir: Path) -> None:
    write_csv_folder(package_dir, {"programs.csv": "program_id\np1\n".encode("utf-16")})
    read = read_package(package_dir)
    assert "UTF-16" in only(read, "P01").message
    assert read.tables == {}


def test_duplicate_header_name_is_p03_and_first_column_is_kept(package_dir: Path) -> None:
    write_csv_folder(package_dir, {"programs.csv": "program_id,Program_ID ,program_name\na,b,Name\n"})
    read = read_package(package_dir)
    p03 = only(read, "P03")
    assert (p03.table_name, p03.row_number, p03.column_name) == ("programs", 1, "program_id")
    assert column(read, "programs", "program_id") == ["a"]


def test_value_beyond_the_header_is_p03_with_its_row(package_dir: Path) -> None:
    write_csv_folder(
        package_dir, {"programs.csv": 'program_id,program_name\n"multi\nline",x\np2,y,,surplus\n'}
    )
    read = read_package(package_dir)
    p03 = only(read, "P03")
    assert (p03.table_name, p03.row_number, p03.value) == ("programs", 3, "surplus")


def test_unknown_column_is_w05_and_left_out(package_dir: Path) -> None:
    write_csv_folder(package_dir, {"programs.csv": "program_id,Notes\np1,hello\n"})
    read = read_package(package_dir)
    w05 = only(read, "W05")
    assert (w05.table_name, w05.value) == ("programs", "Notes")
    assert read.tables["programs"].columns == ["program_id", ROW_COLUMN]


def test_empty_header_over_values_is_w05_over_empty_column_is_silent(package_dir: Path) -> None:
    write_csv_folder(
        package_dir,
        {
            "programs.csv": "program_id,,program_name,\np1,stray,One,\np2,,Two,\n",
        },
    )
    read = read_package(package_dir)
    w05 = only(read, "W05")
    assert w05.table_name == "programs" and "column B" in w05.value
    assert column(read, "programs", "program_name") == ["One", "Two"]


def test_unknown_files_and_subfolders_are_w05(package_dir: Path) -> None:
    write_csv_folder(
        package_dir, {"programs.csv": "program_id\np1\n", "notes.txt": "hi", "budget.csv": "a\n1\n"}
    )
    (package_dir / "old").mkdir()
    (package_dir / "old" / "programs.csv").write_text("program_id\nzz\n")
    read = read_package(package_dir)
    assert sorted(f.value for f in read.findings if f.rule_id == "W05") == ["budget.csv", "notes.txt", "old/"]
    assert column(read, "programs", "program_id") == ["p1"]


def test_two_files_for_one_table_is_p01(package_dir: Path) -> None:
    write_csv_folder(
        package_dir,
        {
            "programs.csv": "program_id\na\n",
            "PROGRAMS.CSV": "program_id\nb\n",
            "workforce.csv": "role\nvolunteer\n",
        },
    )
    read = read_package(package_dir)
    p01 = only(read, "P01")
    assert p01.table_name == "programs"
    assert "PROGRAMS.CSV" in p01.value and "programs.csv" in p01.value
    assert "programs" not in read.tables and "workforce" in read.tables


def test_empty_file_has_no_header_and_header_alone_is_an_empty_table(package_dir: Path) -> None:
    write_csv_folder(
        package_dir, {"programs.csv": "", "funding.csv": "\n\n", "outcomes.csv": "measure,improved\r\n"}
    )
    read = read_package(package_dir)
    assert "programs" not in read.tables and "funding" not in read.tables
    assert read.tables["outcomes"].height == 0
    assert read.tables["outcomes"].columns == ["measure", "improved", ROW_COLUMN]
    assert read.findings == []


def test_row_limit_counts_data_rows_100000_allowed(package_dir: Path) -> None:
    write_csv_folder(package_dir, {"workforce.csv": lines(["role"] + ["x"] * 100_000 + ["", ""])})
    read = read_package(package_dir)
    assert read.findings == []
    assert read.tables["workforce"].height == 100_000
    assert read.tables["workforce"].get_column(ROW_COLUMN).max() == 100_001


def test_row_limit_100001_is_p04(package_dir: Path) -> None:
    write_csv_folder(
        package_dir, {"workforce.csv": lines(["role"] + ["x"] * 100_001), "programs.csv": "program_id\np1\n"}
    )
    read = read_package(package_dir)
    p04 = only(read, "P04")
    assert p04.table_name == "workforce"
    assert "workforce" not in read.tables and "programs" in read.tables


def test_package_over_20mb_is_p04_before_reading(package_dir: Path, monkeypatch) -> None:
    write_csv_folder(package_dir, {"programs.csv": "program_id\np1\n"})
    with open(package_dir / "funding.csv", "wb") as fh:
        fh.truncate(20_000_000)  # sparse: apparent size counts, not blocks
    opened = _record_opens(monkeypatch)
    read = read_package(package_dir)
    p04 = only(read, "P04")
    assert p04.table_name is None
    assert read.tables == {}
    assert opened == []


def test_package_of_exactly_20mb_is_not_too_big(package_dir: Path) -> None:
    header = b"program_id\n"
    write_csv_folder(package_dir, {"programs.csv": header + b" " * (20_000_000 - len(header) - 1) + b"\n"})
    read = read_package(package_dir)
    assert "P04" not in rules(read)


def _record_opens(monkeypatch) -> list[str]:
    opened: list[str] = []
    real_open = os.open

    def spy(path, flags, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    return opened


def test_symlink_inside_folder_is_p01_and_target_never_read(
    package_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("program_id\nleaked\n")
    write_csv_folder(package_dir, {"workforce.csv": "role\nvolunteer\n"})
    (package_dir / "programs.csv").symlink_to(secret)
    opened = _record_opens(monkeypatch)
    read = read_package(package_dir)
    p01 = only(read, "P01")
    assert p01.table_name is None and p01.value == "programs.csv"
    assert read.tables == {}
    assert opened == []  # not the link, not its target, not even the regular file beside it
    assert "leaked" not in repr(read)


def test_symlink_deep_in_a_subfolder_is_p01(package_dir: Path, tmp_path: Path) -> None:
    write_csv_folder(package_dir, {"programs.csv": "program_id\np1\n"})
    (package_dir / "extra").mkdir()
    (package_dir / "extra" / "etc").symlink_to("/etc")
    assert only(read_package(package_dir), "P01").value == "extra/etc"


def test_symlinked_package_folder_is_p01(tmp_path: Path, monkeypatch) -> None:
    real = write_csv_folder(tmp_path / "elsewhere", {"programs.csv": "program_id\np1\n"})
    link = tmp_path / "NY-0042"
    link.symlink_to(real, target_is_directory=True)
    opened = _record_opens(monkeypatch)
    read = read_package(link)
    assert rules(read) == ["P01"] and read.tables == {}
    assert opened == []


def test_fifo_in_folder_is_p01_without_blocking(package_dir: Path) -> None:
    write_csv_folder(package_dir, {"workforce.csv": "role\nvolunteer\n"})
    os.mkfifo(package_dir / "programs.csv")
    read = read_package(package_dir)
    assert only(read, "P01").value == "programs.csv"


def test_package_that_is_neither_xlsx_nor_folder_is_p01(tmp_path: Path) -> None:
    odd = tmp_path / "NY-0042.csv"
    odd.write_text("program_id\np1\n")
    macro = tmp_path / "NY-0042.xlsm"
    macro.write_bytes(b"PK\x03\x04")
    assert rules(read_package(odd)) == ["P01"]
    assert rules(read_package(macro)) == ["P01"]


def test_small_and_large_table_paths_clean_cells_identically(package_dir: Path, monkeypatch) -> None:
    from pipelines.ingest.readers import table_frame as cells

    awkward = ["  a  ", "\u00a0b\u3000", "e\u0301", " ", "\x1cx\x1f", "\t", "plain", "\u2028", "c, d"]
    body = "".join(f'"{value}","{value}"\n' for value in awkward)
    write_csv_folder(package_dir, {"programs.csv": "program_id,program_name\n" + body})
    small = read_package(package_dir).tables["programs"]
    monkeypatch.setattr(cells, "SMALL_TABLE_ROWS", 0)
    large = read_package(package_dir).tables["programs"]
    assert small.equals(large)
    assert small.get_column("program_id").to_list() == ["a", "b", "\u00e9", "x", "plain", "c, d"]
    assert small.get_column(ROW_COLUMN).to_list() == [2, 3, 4, 6, 8, 10]


def test_wide_header_does_not_widen_every_row_in_memory(package_dir: Path) -> None:
    import tracemalloc

    header = "role" + "," * 16_000 + "headcount"
    write_csv_folder(package_dir, {"workforce.csv": header + "\n" + "volunteer\n" * 5_000})
    tracemalloc.start()
    try:
        read = read_package(package_dir)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert read.findings == []  # the empty header names sit over empty columns
    assert read.tables["workforce"].height == 5_000
    assert column(read, "workforce", "headcount")[:1] == [None]
    assert peak < 30_000_000  # 5,000 rows padded to 16,002 cells would need hundreds of MB
