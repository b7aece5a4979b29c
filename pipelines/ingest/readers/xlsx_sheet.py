"""One worksheet streamed into a RawTable: row 1 the header, later rows records; number cells written as the
contract's readers read them."""

import math
from decimal import Decimal
from functools import lru_cache

from pipelines.contract import load_contract
from pipelines.ingest.readers.safety import limits, reject
from pipelines.ingest.readers.table_frame import (
    SPACES,
    HeaderPlan,
    RawTable,
    column_index,
    is_blank,
    plan_header,
)
from pipelines.ingest.readers.xlsx_parts import local_name, unescape

MAX_COLUMNS = 16_384  # A..XFD: no spreadsheet has more, and a header may never claim more


def general_number(text: str) -> str:
    """A number cell as a spreadsheet shows it in General format, at 15 significant digits.

    4013.0 -> "4013", 12.5 -> "12.5", 0.1+0.2 -> "0.3", 1e-05 -> "1E-05".
    """
    try:
        value = float(text)
    except ValueError:
        return text.strip()
    if not math.isfinite(value):
        return text.strip()
    shown = f"{value:.15g}"
    if "e" in shown:
        mantissa, _, exponent = shown.partition("e")
        return f"{mantissa}E{exponent[0]}{int(exponent[1:]):02d}"
    return "0" if shown == "-0" else shown


def plain_number(text: str) -> str:
    """A number cell in an int or decimal column: the number it holds at 15 significant digits, written
    out in full (1e15 -> "1000000000000000"), so a huge count is out of range (F04), not of the wrong
    type as the exponent of General format would make it."""
    shown = general_number(text)
    if "E" not in shown:
        return shown
    written = format(Decimal(shown), "f")
    return written.rstrip("0").rstrip(".") if "." in written else written


# Counts and codes repeat across cells and packages; only short texts are cached so the cache stays small.
_general_cached = lru_cache(maxsize=1 << 14)(general_number)
_plain_cached = lru_cache(maxsize=1 << 14)(plain_number)


@lru_cache(maxsize=1 << 12)
def _letters_index(letters: str) -> int:
    return column_index(letters)


class SheetReader:
    """Streams a worksheet: row 1 is the header, later rows are records with the sheet's own numbers."""

    def __init__(self, table: str, strings: list[str]):
        self.table = table
        self.strings = strings
        self.max_rows = limits()["table_rows"]
        self.plan: HeaderPlan | bool | None = None  # known once row 1 is read; False: no header
        self.raw: RawTable | None = None
        self.positions: list[int] = []
        self.numeric: frozenset[int] = frozenset()  # positions of int and decimal columns
        self.row_number = 0
        self.cells: dict[int, str] = {}
        self.col = -1
        self.kind = "n"
        self.value: str | None = None
        self.inline: list[str] = []
        self.buffer: list[str] = []
        self.capture = False
        self.in_inline = False
        self.phonetic = False
        self.formula = False
        self.names: dict[int, str] = {}  # header position -> contract column

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if ":" in tag:
            tag = local_name(tag)
        if tag == "c":
            ref = attrs.get("r")
            self.col = _letters_index(ref.rstrip("0123456789")) if ref else self.col + 1
            if self.col >= MAX_COLUMNS:
                raise reject(
                    "P01",
                    f"The workbook is corrupt (cell {ref} is beyond the last column, XFD)",
                    table=self.table,
                )
            self.kind = attrs.get("t") or "n"
            self.value = None
            self.inline = []
            self.formula = False
        elif tag == "f":
            self.formula = True
        elif tag == "v":
            self.buffer = []
            self.capture = True
        elif tag == "row":
            number = attrs.get("r")
            self.row_number = int(number) if number else self.row_number + 1
            self.cells = {}
            self.col = -1
        elif tag == "is":
            self.in_inline = True
        elif tag == "rPh":
            self.phonetic = True
        elif tag == "t" and self.in_inline and not self.phonetic:
            self.buffer = []
            self.capture = True

    def end(self, tag: str) -> None:
        if ":" in tag:
            tag = local_name(tag)
        if tag == "c":
            value = self._cell()
            if value:
                self.cells[self.col] = value
        elif tag == "v":
            self.value = "".join(self.buffer)
            self.capture = False
        elif tag == "row":
            self._row()
        elif tag == "t" and self.capture:
            self.inline.append("".join(self.buffer))
            self.capture = False
        elif tag == "is":
            self.in_inline = False
        elif tag == "rPh":
            self.phonetic = False

    def text(self, data: str) -> None:
        if self.capture:
            self.buffer.append(data)

    def _cell(self) -> str:
        kind, value = self.kind, self.value
        if kind == "inlineStr":
            return unescape("".join(self.inline))
        # A formula with no cached value (<v> absent, or empty where the result is not text) reads as empty.
        if value is None or (self.formula and not value and kind != "str"):
            if self.formula and self.plan and self.col in self.names:
                self.raw.uncached_formulas.append((self.row_number, self.names[self.col]))
            return ""  # a formula with no cached value, or an empty cell
        if kind == "s":
            try:
                return self.strings[int(value)]
            except (ValueError, IndexError) as exc:
                raise reject(
                    "P01",
                    "The workbook is corrupt (a cell names a shared string that does not exist)",
                    table=self.table,
                ) from exc
        if kind == "b":
            return "TRUE" if value.strip() == "1" else "FALSE"
        if kind in ("str", "e", "d"):
            return unescape(value)
        if self.col in self.numeric:
            return _plain_cached(value) if len(value) <= 32 else plain_number(value)
        return _general_cached(value) if len(value) <= 32 else general_number(value)

    def _row(self) -> None:
        cells, self.cells = self.cells, {}
        if self.plan is None:
            # Row 1 is the header; a sheet whose first row is a later one has no header.
            self.plan = self._header(cells) if self.row_number == 1 else False
            if self.plan:
                self.raw = RawTable(self.plan)
                self.positions = self.plan.positions
                self.names = {i: name for name, i in self.plan.columns.items()}
                columns = load_contract().tables[self.table]
                self.numeric = frozenset(
                    i
                    for name, i in self.plan.columns.items()
                    if columns.column(name).type in ("int", "decimal")
                )
            return
        if not self.plan or is_blank("".join(cells.values())):
            return
        raw, width = self.raw, self.plan.width
        if max(cells) >= width:
            beyond = sorted(i for i in cells if i >= width and not is_blank(cells[i]))
            if beyond:
                raw.extras.append((self.row_number, cells[beyond[0]].strip(SPACES)))
        if len(raw.rows) >= self.max_rows:
            raise reject(
                "P04",
                f"The {self.table} table has more than {self.max_rows:,} rows",
                table=self.table,
                value=f"more than {self.max_rows:,} rows",
            )
        if self.plan.blank:
            raw.valued_blank.update(i for i in self.plan.blank.intersection(cells) if not is_blank(cells[i]))
        get = cells.get
        raw.rows.append(tuple([get(i, "") for i in self.positions]))
        raw.row_numbers.append(self.row_number)

    def _header(self, cells: dict[int, str]) -> HeaderPlan | bool:
        named = [i for i, v in cells.items() if not is_blank(v)]
        if not named:
            return False
        return plan_header(self.table, [cells.get(i, "") for i in range(max(named) + 1)])

    def raw_table(self) -> RawTable | None:
        return self.raw if self.plan else None
