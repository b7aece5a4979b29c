"""Funding by source (largest first) and by the contract's funding categories."""

from __future__ import annotations

import polars as pl

from pipelines.contract import load_contract
from pipelines.reports.columns import published_table
from pipelines.reports.sections.base import Section, bar
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import (
    NO_FUNDING,
    NOT_REPORTED,
    chartable,
    fmt_usd,
    group_total,
    labels,
    num,
    or_missing,
    ratio,
    total,
    value,
)
from pipelines.reports.tables import TOTAL_LABEL, Missing


def _category_labels() -> dict[str, str]:
    return {c.code: c.label for c in load_contract().funding_categories}


def _total_row(leading: list, total_usd: float | None) -> list:
    return [*leading, or_missing(total_usd, NOT_REPORTED), 1.0 if total_usd else Missing(NO_FUNDING)]


def funding_sections(ctx: Context) -> list[Section]:
    frame = ctx.frame("funding_by_source")
    total_usd = total(frame["amount_usd"])
    return [_by_source(ctx, frame, total_usd), _by_category(ctx, frame, total_usd)]


def _by_source(ctx: Context, frame: pl.DataFrame, total_usd: float | None) -> Section:
    names, categories = labels("funding_source"), _category_labels()
    grouped = frame.group_by(["funding_source", "funding_category"]).agg(pl.col("amount_usd"))
    amounts = [group_total(a, min_count=1) for a in grouped["amount_usd"]]
    by_source = grouped.with_columns(pl.Series("amount_usd", amounts, dtype=pl.Float64)).sort(
        ["amount_usd", "funding_source", "funding_category"],
        descending=[True, False, False],
        nulls_last=True,
        maintain_order=True,
    )
    rows = [
        [
            names.get(r["funding_source"], r["funding_source"]),
            r["funding_source"],
            categories.get(r["funding_category"], r["funding_category"] or ""),
            or_missing(value(r["amount_usd"]), NOT_REPORTED),
            or_missing(ratio(r["amount_usd"], total_usd), NO_FUNDING),
        ]
        for r in by_source.iter_rows(named=True)
    ]
    lead = rows[0] if rows and not isinstance(rows[0][3], Missing) else None
    summary = (
        (
            f"In {ctx.period}, grantees in {ctx.place} reported {fmt_usd(total_usd)} from "
            f"{len(rows)} sources; the largest was {lead[0]} ({fmt_usd(lead[3])})."
        )
        if lead
        else "No funding reported."
    )
    table = published_table(
        "funding_by_source",
        title="Funding by source",
        summary=summary,
        units="US dollars; share of total",
        rows=rows,
        total=_total_row([TOTAL_LABEL, "", ""], total_usd),
    )
    chart = bar([[r[0], chartable(r[3])] for r in rows], 1, "Funding (USD)")
    return Section("funding-source", "Funding by source", table, [chart])


def _by_category(ctx: Context, frame: pl.DataFrame, total_usd: float | None) -> Section:
    categories = _category_labels()
    amounts = {
        category: group_total(values, min_count=1)
        for category, values in frame.group_by("funding_category").agg(pl.col("amount_usd")).iter_rows()
    }
    rows = [
        [
            label,
            code,
            num(amounts.get(code)),
            or_missing(ratio(num(amounts.get(code)), total_usd), NO_FUNDING),
        ]
        for code, label in categories.items()
    ]
    federal = next((r for r in rows if r[1] == "federal"), None)
    summary = (
        (
            f"In {ctx.period}, federal sources made up {federal[3] * 100:.1f}% of the {fmt_usd(total_usd)} "
            f"reported in {ctx.place}."
        )
        if federal and not isinstance(federal[3], Missing)
        else "No funding reported."
    )
    table = published_table(
        "funding_by_category",
        title="Funding by category",
        summary=summary,
        units="US dollars; share of total",
        rows=rows,
        total=_total_row([TOTAL_LABEL, ""], total_usd),
    )
    return Section("funding-category", "Funding by category", table, [bar(rows, 2, "Funding (USD)")])
