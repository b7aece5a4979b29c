"""`landscape dictionary [--out DIR]`: the warehouse data dictionary as Markdown and HTML."""

from __future__ import annotations

from pathlib import Path

from pipelines.commands.parser import Parser
from pipelines.paths import HomeLayout


def main(argv: list[str]) -> int:
    parser = Parser(
        prog="landscape dictionary",
        description="Write the data dictionary of every warehouse table and column (Markdown and HTML).",
    )
    parser.add_argument("--out", type=Path, default=None, help="folder (default: $LANDSCAPE_HOME/analyst)")
    args = parser.parse_args(argv)
    from pipelines.warehouse.dictionary import write_dictionary

    md, html = write_dictionary(args.out or HomeLayout.from_env().analyst)
    print(f"Data dictionary: {md}\n                 {html}")
    return 0
