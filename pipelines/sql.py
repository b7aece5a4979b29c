"""SQL lives in sql/, one file per model or step; Python loads it by path."""

from __future__ import annotations

from functools import cache

from pipelines.paths import SQL_DIR


@cache
def load_sql(name: str) -> str:
    """Text of sql/<name>.sql, e.g. load_sql("marts/state_summary")."""
    path = (SQL_DIR / f"{name}.sql").resolve()
    if SQL_DIR.resolve() not in path.parents:
        raise ValueError(f"SQL name escapes sql/: {name}")
    return path.read_text(encoding="utf-8")
