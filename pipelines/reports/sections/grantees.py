"""A state page's list of grantees and their programs, with the peer-run criteria each does not meet."""

from __future__ import annotations

from pipelines.contract import load_contract
from pipelines.reports.columns import published_table
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import class_labels, fmt_int, is_false, labels
from pipelines.reports.tables import PublishedTable


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def grantees_table(ctx: Context) -> PublishedTable:
    types, classes = labels("program_type"), class_labels()
    criteria = [c["name"] for c in load_contract().peer_run["criteria"]]
    frame = ctx.frame("grantee_programs")
    rows = []
    for r in frame.iter_rows(named=True):
        failed = [c for c in criteria if is_false(r.get(c))]
        program_type = r["program_type"]
        rows.append(
            [
                r["organization_name"],
                r["grantee_id"],
                classes.get(r["peer_run_class"], r["peer_run_class"]),
                ", ".join(failed) or "none",
                _text(r["program_name"]),
                types.get(program_type, program_type) if isinstance(program_type, str) else "",
                _text(r["program_county_name"]),
            ]
        )
    grantees = frame["grantee_id"].drop_nulls().n_unique()
    summary = (
        f"In {ctx.period}, {fmt_int(grantees)} grantees in {ctx.place} reported "
        f"{fmt_int(frame['program_id'].is_not_null().sum())} programs."
    )
    return published_table(
        "grantees",
        title="Grantees and their programs",
        summary=summary,
        units="one row per program",
        rows=rows,
    )
