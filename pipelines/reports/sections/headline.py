"""Headline figures: grantees, share peer-run, programs, people served and funding, with the change from the
previous fiscal year."""

from __future__ import annotations

from pipelines.reports.columns import published_table
from pipelines.reports.sections.base import Headline
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import (
    NO_GRANTEES,
    NOT_REPORTED,
    fmt_int,
    fmt_usd,
    or_missing,
    shown,
    shown_or,
)
from pipelines.reports.tables import NO_VALUE, PublishedTable


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _points(change: float) -> str:
    return f"{change * 100:+.1f} points"


def _signed(change: int) -> str:
    return f"{change:+,}"


def _signed_usd(change: float) -> str:
    return ("+" if change >= 0 else "-") + fmt_usd(abs(change))


def headlines(ctx: Context) -> list[Headline]:
    """The key figures at the top of the page, each with its change from the previous fiscal year."""
    now = ctx.totals(ctx.period)
    before = ctx.totals(ctx.previous) if ctx.previous else None
    figures = [
        ("Grantees", "grantees", fmt_int, _signed),
        ("Share peer-run", "peer_run_share", _percent, _points),
        ("Programs", "programs", fmt_int, _signed),
        ("People served", "served", fmt_int, _signed),
        ("Total funding", "funding", fmt_usd, _signed_usd),
    ]
    out = []
    for label, key, fmt, change_fmt in figures:
        value, old = now[key], before and before[key]
        if key == "served":  # people served as published: a count, or a mark where it is withheld
            value, old = shown(value), shown(old) if before else None
        changed = not (old is None or value is None or isinstance(value, str) or isinstance(old, str))
        text = value if isinstance(value, str) else (NO_VALUE if value is None else fmt(value))
        if changed:
            change = change_fmt(value - old) + f" from {ctx.previous}"
        else:
            change = "no previous year" if before is None else "change not published"
        out.append(Headline(label, text, change))
    return out


def headline_table(ctx: Context) -> PublishedTable:
    rows = []
    for period in [p for p in (ctx.period, ctx.previous) if p]:
        t = ctx.totals(period)
        rows.append(
            [
                period,
                t["grantees"],
                or_missing(t["peer_run_share"], NO_GRANTEES),
                t["programs"],
                shown_or(t["served"], NOT_REPORTED),
                or_missing(t["funding"], NOT_REPORTED),
            ]
        )
    return published_table(
        "headline",
        title="Headline figures",
        summary=_sentence(ctx, ctx.totals(ctx.period)),
        units="grantees, programs and people: counts; share of grantees; funding: US dollars",
        rows=rows,
    )


def _sentence(ctx: Context, now: dict) -> str:
    served = now["served"]
    if served is None:
        served_text = "reported no count of people served"
    elif served.hidden:
        served_text = "served a number of people too small to publish"
    else:
        served_text = f"served {fmt_int(served.value)} people"
    return (
        f"In {ctx.period}, {fmt_int(now['grantees'])} grantees in {ctx.place} ran "
        f"{fmt_int(now['programs'])} programs, {served_text} and reported "
        f"{fmt_usd(now['funding'])} in funding."
    )
