"""Where each published figure comes from: the warehouse tables and marts its report query reads.

Read from the report queries themselves (sql/reports/<frame>.sql), so the methodology page cannot drift from
what the site actually reads. A figure names the frames of the landscape it is built from (`sources` of its
PublishedTable); each frame is one report query.
"""

from __future__ import annotations

import re

from pipelines.sql import load_sql

SCHEMAS = ("core", "marts")
_COMMENT = re.compile(r"--[^\n]*")
_TABLE = re.compile(r"\b(" + "|".join(SCHEMAS) + r")\.([a-z_][a-z0-9_]*)\b")


def query_tables(frame: str) -> list[str]:
    """schema.table names the report query behind `frame` reads, in order of first use."""
    text = _COMMENT.sub("", load_sql(f"reports/{frame}"))
    return list(dict.fromkeys(f"{schema}.{table}" for schema, table in _TABLE.findall(text)))


def figure_tables(frames: tuple[str, ...]) -> list[str]:
    """Warehouse tables behind a figure built from these landscape frames, marts first."""
    tables = dict.fromkeys(t for frame in frames for t in query_tables(frame))
    return sorted(tables, key=lambda name: (not name.startswith("marts."), name))
