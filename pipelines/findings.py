"""Findings are data: rule id, severity, table, row, column, value and the sentence that says what to change."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import polars as pl

from pipelines.contract import load_contract

FINDING_SCHEMA: dict[str, pl.DataType] = {
    "rule_id": pl.Utf8,
    "severity": pl.Utf8,
    "table_name": pl.Utf8,
    "row_number": pl.Int64,
    "column_name": pl.Utf8,
    "value": pl.Utf8,
    "message": pl.Utf8,
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "the expected value"


@dataclass(frozen=True)
class Finding:
    rule_id: str
    table_name: str | None = None
    row_number: int | None = None
    column_name: str | None = None
    value: str | None = None
    message: str = ""

    @property
    def severity(self) -> str:
        return load_contract().rules[self.rule_id].severity

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_row(self) -> dict:
        return {**asdict(self), "severity": self.severity}


def fix_sentence(rule_id: str, case: str | None = None, **context) -> str:
    """The contract's 'what to change' sentence for a rule (or for one of its cases), filled with whatever
    context is known."""
    rule = load_contract().rules[rule_id]
    template = rule.cases.get(case, rule.fix) if case else rule.fix
    return template.format_map(_Blank({k: v for k, v in context.items() if v is not None}))


def finding(
    rule_id: str,
    table: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
    message: str | None = None,
    **context,
) -> Finding:
    """Build a finding; the message defaults to the contract's fix sentence for the rule."""
    text = message or fix_sentence(rule_id, table=table, column=column, value=value, **context)
    return Finding(rule_id, table, row, column, value, text)


def findings_frame(findings: list[Finding]) -> pl.DataFrame:
    return pl.DataFrame([f.as_row() for f in findings], schema=FINDING_SCHEMA)
