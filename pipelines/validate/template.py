"""`landscape template`: an Excel workbook for grantees, generated from the contract.

Sheets: instructions, one per table (header, dropdowns for codes and bools, number and length limits, an
input message per column from the contract's meaning; text columns formatted as text so leading zeros
survive), and codes with their labels. The reader ignores the instructions and codes sheets (W05).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipelines.contract import Column, Table, load_contract

INSTRUCTIONS, CODES = "instructions", "codes"
LAST_ROW = {"exactly_one": 2}  # organization has one row; other tables get room for many
DEFAULT_LAST_ROW = 1000
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TEXT_FORMAT = "@"


def _codes_sheet(book: Workbook) -> dict[str, str]:
    """Write every code list; returns list name -> the cell range a dropdown can point at."""
    sheet = book.create_sheet(CODES)
    sheet.append(["list", "code", "label"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    ranges, row = {}, 2
    for name, codes in load_contract().codes.items():
        start = row
        for code in codes:
            shown = code.code.upper() if name == "state" else code.code  # USPS codes are written upper case
            sheet.append([name, shown, code.label])
            row += 1
        ranges[name] = f"{CODES}!$B${start}:$B${row - 1}"
    for letter, width in (("A", 16), ("B", 28), ("C", 48)):
        sheet.column_dimensions[letter].width = width
    return ranges


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _validation(column: Column, code_ranges: dict[str, str]) -> DataValidation | None:
    if column.codes:
        return DataValidation(type="list", formula1=code_ranges[column.codes])
    if column.type == "bool":
        values = load_contract().bool_values
        return DataValidation(type="list", formula1=f'"{values[True][1]},{values[False][1]}"')
    if column.type in ("int", "decimal"):
        kind = "whole" if column.type == "int" else "decimal"
        low = _number(column.min) if column.min is not None else None
        high = _number(column.max) if column.max is not None else None
        if low is not None and high is not None:
            return DataValidation(type=kind, operator="between", formula1=low, formula2=high)
        if low is not None:
            return DataValidation(type=kind, operator="greaterThanOrEqual", formula1=low)
        return DataValidation(type=kind)
    if column.max_length is not None:
        return DataValidation(
            type="textLength",
            operator="between",
            formula1=str(column.min_length or 0),
            formula2=str(column.max_length),
        )
    return None


def _prompt(column: Column) -> str:
    need = "Required." if column.required else "Optional."
    text = f"{need} {column.meaning}".strip()
    if column.type == "bool":
        text += " Answer yes or no."
    return text[:250]  # Excel's limit for an input message is 255 characters


def _table_sheet(book: Workbook, table: Table, code_ranges: dict[str, str]) -> None:
    sheet = book.create_sheet(table.name)
    sheet.append(list(table.column_names))
    last = LAST_ROW.get(table.rows, DEFAULT_LAST_ROW)
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index)
        header.font, header.fill = Font(bold=True), HEADER_FILL
        sheet.column_dimensions[letter].width = max(14, len(column.name) + 2)
        if column.type in ("text", "code"):
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
        validation = _validation(column, code_ranges) or DataValidation(type="custom", formula1="TRUE")
        validation.promptTitle = column.name[:32]
        validation.prompt = _prompt(column)
        validation.showInputMessage = True
        validation.showErrorMessage = validation.type != "custom"
        validation.errorTitle = "Not allowed here"
        validation.error = _prompt(column)[:225]
        validation.allow_blank = True
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def _instructions(book: Workbook) -> None:
    contract = load_contract()
    sheet = book.active
    sheet.title = INSTRUCTIONS
    values = contract.bool_values
    lines = [
        ("Peer support grantee report: how to fill in this workbook", True),
        (
            f"Contract version {contract.version}. Save the file as <GRANTEE_ID>.xlsx, for example "
            f"{contract.identifiers['grantee_id']['example']}.xlsx, and send it to your state office.",
            False,
        ),
        ("", False),
        ("1. Fill in one sheet per table. Do not rename sheets or change the header row (row 1).", False),
        (
            "2. Put one record per row from row 2 on. Leave an optional cell empty when it does not apply.",
            False,
        ),
        ("3. Pick codes from the dropdown lists; the codes sheet lists every code with its label.", False),
        (
            f"4. Yes/no columns accept {', '.join(f'{t}/{f}' for t, f in zip(values[True], values[False], strict=True))}.",
            False,
        ),
        (
            "5. Numbers: digits only, no thousands separators, currency signs or words; money with at most two decimals.",
            False,
        ),
        ("6. Ids and FIPS codes are text: keep leading zeros (county 06037, not 6037).", False),
        ("7. Before sending, you can check the file yourself: landscape check <file>.xlsx", False),
        ("", False),
        ("Tables", True),
    ]
    for table in contract.tables.values():
        need = "required" if table.required else "optional"
        lines.append((f"{table.name} ({need}): {table.description}", False))
    lines += [("", False), ("Hover over a column header's cells to see what the column means.", False)]
    for text, bold in lines:
        sheet.append([text])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=bold, size=13 if bold else 11)
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=False)
    sheet.column_dimensions["A"].width = 120


def write_template(path: Path) -> Path:
    """Write the grantee template workbook to path (an .xlsx file) and return the path."""
    book = Workbook()
    _instructions(book)
    code_ranges = _codes_sheet(book)
    for table in load_contract().tables.values():
        _table_sheet(book, table, code_ranges)
    book.move_sheet(CODES, offset=len(book.sheetnames) - 1 - book.sheetnames.index(CODES))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
