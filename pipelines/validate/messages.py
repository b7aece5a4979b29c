"""Fill the contract's fix sentences with hints a grantee can act on (types, patterns, code lists, ranges)."""

from __future__ import annotations

import json
from functools import cache

from pipelines.contract import Column, load_contract
from pipelines.findings import fix_sentence

TYPE_HINTS = {
    "int": "a whole number using digits only (for example 12), without commas, signs, units or words",
    "decimal": "a number with at most two decimals (for example 1250.50), without commas, currency signs or words",
}


def _number(value: float) -> str:
    # separators only where they help reading: 1,000,000 but 1900 (a year) stays as written
    text = f"{int(value)}" if float(value).is_integer() else f"{value}"
    return f"{float(value):,.0f}" if abs(value) >= 10_000 and float(value).is_integer() else text


def bool_hint() -> str:
    spellings = load_contract().bool_values
    pairs = [f"{t}/{f}" for t, f in zip(spellings[True], spellings[False], strict=True)]
    return "one of " + ", ".join(pairs)


def type_hint(column: Column) -> str:
    return bool_hint() if column.type == "bool" else TYPE_HINTS.get(column.type, "text")


def pattern_hint(column: Column) -> str:
    ident = load_contract().identifiers[column.pattern]
    return f"{ident['example']} ({ident['description']})"


def codes_hint(column: Column) -> str:
    codes = load_contract().code_values(column.codes)
    # USPS codes are written upper case everywhere a grantee sees them; the comparison ignores case
    return ", ".join(c.upper() if column.codes == "state" else c for c in codes)


def range_context(column: Column) -> dict[str, str]:
    """min/max for the F04 sentence; a part-whole maximum is the other column's name."""
    if column.type in ("int", "decimal"):
        low = _number(column.min) if column.min is not None else "0"
        high = column.max_column or (_number(column.max) if column.max is not None else "any")
        return {"min": low, "max": high}
    if column.max_length is not None or column.min_length is not None:
        return {"min": str(column.min_length or 0), "max": f"{column.max_length} characters"}
    return {}


def cell_context(column: Column) -> dict[str, str]:
    ctx: dict[str, str] = {}
    if column.type in ("int", "decimal", "bool"):
        ctx["type_hint"] = type_hint(column)
    if column.pattern:
        ctx["pattern_hint"] = pattern_hint(column)
    if column.codes:
        ctx["codes"] = codes_hint(column)
    ctx.update(range_context(column))
    return ctx


@cache
def message(rule_id: str, table: str | None, column: str | None, value: str | None, args: str | None) -> str:
    """The sentence for one finding; `args` is a JSON object of rule-specific placeholders."""
    context: dict[str, str] = {}
    contract = load_contract()
    if rule_id.startswith("F") and table in contract.tables and column:
        context.update(cell_context(contract.tables[table].column(column)))
    if args:
        extra = json.loads(args)
        if "message" in extra:
            return extra["message"]
        context.update({k: str(v) for k, v in extra.items() if v is not None})
    return fix_sentence(rule_id, table=table, column=column, value=value, **context)
