"""A state page's submission status: every expected or received grantee and how its packages fared."""

from __future__ import annotations

from pipelines.reports.columns import published_table
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import whole
from pipelines.reports.tables import PublishedTable

NOTE = (
    "The current version is the one the figures use: the latest accepted version. A version "
    "identical to an earlier one is a duplicate and changes nothing."
)


def _latest_note(status, duplicate_of: int | None) -> str:
    """How the latest version fared, naming the version a duplicate repeats."""
    if status == "duplicate":
        return "a duplicate" if duplicate_of is None else f"a duplicate of version {duplicate_of}"
    return status if isinstance(status, str) else ""


def status_table(ctx: Context) -> PublishedTable:
    rows = [
        [
            r["organization_name"] if isinstance(r["organization_name"], str) else "",
            r["grantee_id"],
            r["status"],
            whole(r["error_count"]),
            whole(r["current_version"]),
            whole(r["latest_version"]),
            _latest_note(r["latest_status"], whole(r["latest_duplicate_of"])),
            "" if r["latest_received_at"] is None else r["latest_received_at"].strftime("%Y-%m-%d %H:%M"),
        ]
        for r in ctx.frame("submission_status").iter_rows(named=True)
    ]
    accepted = sum(1 for r in rows if r[2] == "accepted")
    summary = (
        f"For {ctx.period}, {accepted} of {len(rows)} expected or received grantees in {ctx.place} "
        "have an accepted package."
    )
    return published_table(
        "submission_status",
        title="Submission status",
        summary=summary,
        units="counts of findings; version numbers",
        rows=rows,
        note=NOTE,
    )
