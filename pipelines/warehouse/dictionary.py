"""The data dictionary: every warehouse table and column with its type and description.

Descriptions come from dictionary.yaml and, for columns that hold a contract table's columns, from the
contract's `meaning`. The list of tables and columns comes from the warehouse itself (an empty one built in
memory from sql/), so the dictionary cannot document a column that does not exist or miss one that does.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import jinja2
import yaml

from pipelines.contract import load_contract
from pipelines.warehouse.connection import create_tables, query, run_sql
from pipelines.warehouse.tables import FACT_TABLES, REPORTED_PREFIX, contract_tables

DICTIONARY_FILE = Path(__file__).with_name("dictionary.yaml")
SCHEMA_ORDER = ("core", "marts", "staging", "raw")
CODE_TABLES = {
    "program_type": "core.dim_program_type",
    "funding_source": "core.dim_funding_source",
    "state": "core.dim_state",
}


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class TableDoc:
    schema: str
    name: str
    description: str
    columns: tuple[ColumnDoc, ...]

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@cache
def load_dictionary(path: Path = DICTIONARY_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _contract_table_of(schema: str, table: str) -> str | None:
    """The contract table whose columns a warehouse table carries, if any."""
    if schema in ("raw", "staging") and table in contract_tables():
        return table
    if schema == "core" and table in FACT_TABLES:
        return table
    if schema == "core" and table == "grantees":
        return "organization"
    return None


def _contract_meaning(contract_table: str, column: str) -> str | None:
    table = load_contract().tables[contract_table]
    name = column.removeprefix(REPORTED_PREFIX)
    if name not in table.column_names:
        return None
    spec = table.column(name)
    text = spec.meaning[:1].upper() + spec.meaning[1:] if spec.meaning else spec.name
    if spec.codes:
        where = CODE_TABLES.get(spec.codes, f"core.dim_code where code_list = '{spec.codes}'")
        text += f" (codes: {where})"
    return text.rstrip(".") + "."


def describe_column(schema: str, table: str, column: str) -> str:
    docs = load_dictionary()
    own = (docs["tables"].get(f"{schema}.{table}") or {}).get("columns") or {}
    if column in own:
        return own[column]
    contract_table = _contract_table_of(schema, table)
    meaning = _contract_meaning(contract_table, column) if contract_table else None
    shared = docs["columns"].get(column)
    if meaning and column.startswith(REPORTED_PREFIX):
        return docs["families"]["reported_column_prefix"] + meaning
    if meaning and column not in docs["columns"]:
        return (docs["families"]["raw_column_prefix"] if schema == "raw" else "") + meaning
    return shared or meaning or ""


def describe_table(schema: str, table: str) -> str:
    docs = load_dictionary()
    own = docs["tables"].get(f"{schema}.{table}") or {}
    if own.get("description"):
        return own["description"]
    contract_table = _contract_table_of(schema, table)
    if contract_table and schema in docs["families"]:
        description = load_contract().tables[contract_table].description
        return docs["families"][schema].format(table=contract_table, description=description)
    return ""


def skeleton() -> duckdb.DuckDBPyConnection:
    """An empty in-memory warehouse with every table and mart, built from sql/ (no comments)."""
    from pipelines.warehouse.marts import MARTS

    con = duckdb.connect()
    create_tables(con)
    for name in MARTS:
        run_sql(con, f"marts/{name}")
    return con


def documented_tables(con: duckdb.DuckDBPyConnection | None = None) -> list[TableDoc]:
    """Every warehouse table with its columns, types and descriptions (empty text where none is known)."""
    con = con or skeleton()
    columns = query(con, "warehouse/list_columns")
    docs = []
    for (schema, table), group in columns.group_by(["schema_name", "table_name"], maintain_order=True):
        docs.append(
            TableDoc(
                schema=schema,
                name=table,
                description=describe_table(schema, table),
                columns=tuple(
                    ColumnDoc(
                        r["column_name"], r["data_type"], describe_column(schema, table, r["column_name"])
                    )
                    for r in group.iter_rows(named=True)
                ),
            )
        )
    listed = list(load_dictionary()["tables"])  # tables in the order dictionary.yaml introduces them

    def order(doc: TableDoc) -> tuple:
        rank = listed.index(doc.qualified) if doc.qualified in listed else len(listed)
        return (SCHEMA_ORDER.index(doc.schema), rank, doc.name)

    return sorted(docs, key=order)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown(docs: list[TableDoc]) -> str:
    schemas = load_dictionary()["schemas"]
    lines = [
        "# Warehouse data dictionary",
        "",
        "Generated from `pipelines/warehouse/dictionary.yaml` and the contract; every table and column "
        "also carries its description as a DuckDB comment (`SELECT * FROM duckdb_columns()`).",
        "",
    ]
    for schema in SCHEMA_ORDER:
        lines += [f"## Schema `{schema}`", "", schemas[schema], ""]
        for doc in (d for d in docs if d.schema == schema):
            lines += [
                f"### `{doc.qualified}`",
                "",
                doc.description,
                "",
                "| column | type | description |",
                "| --- | --- | --- |",
            ]
            lines += [f"| `{c.name}` | {c.type} | {_cell(c.description)} |" for c in doc.columns]
            lines.append("")
    return "\n".join(lines)


HTML_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Warehouse data dictionary</title>
<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
table{border-collapse:collapse;width:100%;margin-bottom:2rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f0f0f0}code{font-size:.95em}</style></head><body>
<h1>Warehouse data dictionary</h1>
<nav><ul>{% for schema in schemas %}<li><a href="#{{ schema }}">{{ schema }}</a>: {{ schema_text[schema] }}</li>
{% endfor %}</ul></nav>
{% for schema in schemas %}<h2 id="{{ schema }}">Schema <code>{{ schema }}</code></h2>
{% for doc in docs if doc.schema == schema %}<h3 id="{{ doc.qualified }}"><code>{{ doc.qualified }}</code></h3>
<p>{{ doc.description }}</p>
<table><thead><tr><th scope="col">column</th><th scope="col">type</th><th scope="col">description</th></tr></thead>
<tbody>{% for c in doc.columns %}<tr><td><code>{{ c.name }}</code></td><td>{{ c.type }}</td><td>{{ c.description }}</td></tr>
{% endfor %}</tbody></table>
{% endfor %}{% endfor %}</body></html>
"""


def _html(docs: list[TableDoc]) -> str:
    env = jinja2.Environment(autoescape=True)
    return env.from_string(HTML_TEMPLATE).render(
        docs=docs, schemas=SCHEMA_ORDER, schema_text=load_dictionary()["schemas"]
    )


def write_dictionary(out_dir: Path, con: duckdb.DuckDBPyConnection | None = None) -> tuple[Path, Path]:
    """Write data_dictionary.md and data_dictionary.html into out_dir; returns their paths.

    Documents the tables of `con` (e.g. the published copy) or, without one, of an empty warehouse built
    from sql/ (the same tables a run creates).
    """
    docs = documented_tables(con)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    md_path, html_path = out_dir / "data_dictionary.md", out_dir / "data_dictionary.html"
    for path, text in ((md_path, _markdown(docs)), (html_path, _html(docs))):
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue  # unchanged: not written again
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    return md_path, html_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="landscape dictionary", description="Write the warehouse data dictionary as Markdown and HTML."
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: $LANDSCAPE_HOME/analyst)"
    )
    args = parser.parse_args(argv)
    if args.out is None:
        from pipelines.paths import HomeLayout

        args.out = HomeLayout.from_env().analyst
    for path in write_dictionary(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
