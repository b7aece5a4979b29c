"""Writes the SQL files that need a table or column name from the contract or the dictionary.

SQL statements cannot take identifiers (or COMMENT text) as parameters, so the per-table DDL and load steps
and the COMMENT ON statements are rendered from the templates in sql/templates/ into sql/warehouse/generated/ and
checked in, and so are the marts' ordered reads, whole and by period (sql/publish/generated/); a test fails when a checked-in
file differs from what this module renders. Regenerate with `python -m pipelines.warehouse.sqlgen`.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipelines.paths import SQL_DIR
from pipelines.warehouse.tables import FACT_TABLES, KEY_COLUMNS, contract_columns, contract_tables

TEMPLATES = SQL_DIR / "templates"
PACKAGE_KEYS = ("grantee_id", "state", "period", "version")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@cache
def _environment() -> Environment:
    # SQL, not HTML: no autoescape; whitespace is exactly as written in the templates.
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    environment.filters["sql_text"] = _quote
    return environment


def render(template: str, **context) -> str:
    return _environment().get_template(f"{template}.sql.j2").render(**context)


def _key_columns(with_row_number: bool = True) -> list[tuple[str, str]]:
    return [(name, type_) for name, type_ in KEY_COLUMNS if with_row_number or name != "row_number"]


def ddl_raw(table: str) -> str:
    columns = [f"{name} {type_}" for name, type_ in _key_columns()]
    columns += [f"{c.name} VARCHAR" for c in contract_columns(table)]
    return render("ddl_raw", table=table, columns=columns)


def ddl_staging(table: str) -> str:
    columns = [f"{name} {type_}" for name, type_ in _key_columns()]
    columns += [f"{c.name} {c.type}" for c in contract_columns(table)]
    return render("ddl_staging", table=table, columns=columns)


def _incoming(table: str, cast_to) -> dict:
    columns = [name for name, _ in KEY_COLUMNS] + [c.name for c in contract_columns(table)]
    values = [f"p.{k}" for k in PACKAGE_KEYS] + ["r.row_number"]
    values += [f"CAST(r.{c.name} AS {cast_to(c)})" for c in contract_columns(table)]
    return {"table": table, "columns": columns, "values": values, "keys": PACKAGE_KEYS}


def load_raw(table: str) -> str:
    return render("load_raw", **_incoming(table, lambda c: "VARCHAR"))


def load_staging(table: str) -> str:
    return render("load_staging", **_incoming(table, lambda c: c.type))


def ddl_fact(table: str) -> str:
    columns = [f"{name} {type_}" for name, type_ in _key_columns(with_row_number=False)]
    columns += [f"{c.name} {c.type}" for c in contract_columns(table)]
    return render("ddl_fact", table=table, columns=columns)


def load_fact(table: str) -> str:
    columns = list(PACKAGE_KEYS) + [c.name for c in contract_columns(table)]
    return render("load_fact", table=table, columns=columns, values=[f"s.{c}" for c in columns])


def comments(docs: list) -> str:
    """COMMENT ON every table and column of `docs` (dictionary.TableDoc list)."""
    return render("comments", docs=docs)


def contract_files() -> dict[str, str]:
    """sql/ name (without .sql) -> text for every file derived from the contract alone."""
    files: dict[str, str] = {}
    for table in contract_tables():
        files[f"warehouse/generated/ddl_raw_{table}"] = ddl_raw(table)
        files[f"warehouse/generated/ddl_staging_{table}"] = ddl_staging(table)
        files[f"warehouse/generated/load_raw_{table}"] = load_raw(table)
        files[f"warehouse/generated/load_staging_{table}"] = load_staging(table)
    for table in FACT_TABLES:
        files[f"warehouse/generated/ddl_core_{table}"] = ddl_fact(table)
        files[f"warehouse/generated/facts_{table}"] = load_fact(table)
    return files


def comment_files() -> dict[str, str]:
    """The two COMMENT ON files: one for raw/staging/core (run at schema set-up), one for marts (after a build)."""
    from pipelines.warehouse.dictionary import documented_tables

    docs = documented_tables()
    return {
        "warehouse/generated/comments_tables": comments([d for d in docs if d.schema != "marts"]),
        "warehouse/generated/comments_marts": comments([d for d in docs if d.schema == "marts"]),
    }


def mart_order(mart: str) -> str:
    """The ORDER BY of a mart's own SQL (its last one, table aliases dropped): the order a whole rebuild writes,
    which the mart's Parquet file keeps whatever order a refresh left the table in."""
    text = " ".join((SQL_DIR / "marts" / f"{mart}.sql").read_text(encoding="utf-8").split())
    order = text.rsplit("ORDER BY ", 1)[1].split(";", 1)[0]
    return re.sub(r"\b[a-z]\.(?=[a-z_])", "", order)


def ordered_mart_files() -> dict[str, str]:
    """Two ordered reads per mart, differing only in order: the whole mart
    (sql/publish/generated/ordered_<mart>.sql) and the given periods of it, period by period
    (ordered_<mart>_periods.sql)."""
    from pipelines.warehouse.marts import MARTS

    files = {}
    for mart in MARTS:
        order_by = mart_order(mart)
        files[f"publish/generated/ordered_{mart}"] = render("ordered_mart", mart=mart, order_by=order_by)
        files[f"publish/generated/ordered_{mart}_periods"] = render(
            "ordered_mart_periods", mart=mart, order_by=order_by
        )
    return files


def write(files: dict[str, str], sql_dir: Path = SQL_DIR) -> list[Path]:
    written = []
    for name, text in files.items():
        path = sql_dir / f"{name}.sql"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    # Comments are rendered from a warehouse built with the contract files, so those are written first.
    written = write(contract_files())
    written += write(comment_files())
    written += write(ordered_mart_files())
    for path in written:
        print(path.relative_to(SQL_DIR.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
