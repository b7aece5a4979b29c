"""Fill the contract's fix sentences with hints a grantee can act on (types, patterns, code lists, ranges)."""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
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


CLOSE_ENOUGH = 0.6  # below this, a guess would mislead more than help
AMBIGUOUS = 0.05  # a runner-up this close to the best makes the best a guess


def _words(text: str) -> str:
    return " ".join(re.split(r"[\W_]+", text.lower())).strip()


def _likeness(value: str, code: str, label: str) -> float:
    """How likely `value` was meant as this code: by spelling (of code or label), or by naming the label's
    words (block_grant -> Mental Health Block Grant)."""
    written, words = _words(value), set(_words(value).split())
    label_words = _words(label)
    scores = [
        SequenceMatcher(None, written, _words(code)).ratio(),
        SequenceMatcher(None, written, label_words).ratio(),
    ]
    if words and words <= set(label_words.split()):
        scores.append(0.75 + 0.25 * len(words) / len(label_words.split()))
    return max(scores)


def likeliest_code(column: Column, value: str | None):
    """The code of the column's list the value most likely meant, or None when nothing is close."""
    if not value or not column.codes:
        return None
    codes = load_contract().codes[column.codes]
    ranked = sorted(((_likeness(value, c.code, c.label), i) for i, c in enumerate(codes)), reverse=True)
    if not ranked or ranked[0][0] < CLOSE_ENOUGH:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < AMBIGUOUS:
        return None  # two codes fit about as well ("grant"): naming one would be a guess
    return codes[ranked[0][1]]


def code_context(column: Column, value: str | None) -> dict[str, str]:
    """F03's context: the likeliest intended code first (the `close_match` case), then the rest of the list."""
    guess = likeliest_code(column, value)
    if guess is None:
        return {"codes": codes_hint(column)}
    rest = [c for c in codes_hint(column).split(", ") if c.lower() != guess.code]
    shown = guess.code.upper() if column.codes == "state" else guess.code
    return {
        "case": "close_match",
        "suggestion": shown,
        "suggestion_label": guess.label,
        "codes": ", ".join(rest),
    }


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
        spec = contract.tables[table].column(column)
        context.update(cell_context(spec))
        if rule_id == "F03":
            context.update(code_context(spec, value))
    if args:
        extra = json.loads(args)
        if "message" in extra:
            return extra["message"]
        context.update({k: str(v) for k, v in extra.items() if v is not None})
    return fix_sentence(rule_id, table=table, column=column, value=value, **context)
