"""`landscape`: the command line for operators, analysts and grantees.

Subcommands: demo, run, generate, check, template, sql, report, dictionary. Usage errors exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

USAGE = """landscape <command> [options]

commands:
  demo         generate sample data if absent, run the whole pipeline, print where the results are
  run          ingest everything in the landing tree, refresh marts and reports (non-zero exit on failure)
  generate     write a deterministic synthetic landing tree (landscape generate --help)
  check        validate one package offline before sending it (landscape check PATH)
  template     write the Excel template for grantees (landscape template --out FILE.xlsx)
  sql          query the published read-only warehouse (landscape sql "SELECT ...")
  report       render the report site again, optionally as single files or PDF
  dictionary   write the data dictionary (Markdown and HTML)
"""


def _demo(argv: list[str]) -> int:
    from pipelines.commands.demo import main

    return main(argv)


def _run(argv: list[str]) -> int:
    from pipelines.commands.run import main

    return main(argv)


def _generate(argv: list[str]) -> int:
    from pipelines.commands.generate import main

    return main(argv)


def _check(argv: list[str]) -> int:
    from pipelines.commands.check import main

    return main(argv)


def _template(argv: list[str]) -> int:
    from pipelines.commands.template import main

    return main(argv)


def _sql(argv: list[str]) -> int:
    from pipelines.commands.sql import main

    return main(argv)


def _report(argv: list[str]) -> int:
    from pipelines.commands.report import main

    return main(argv)


def _dictionary(argv: list[str]) -> int:
    from pipelines.commands.dictionary import main

    return main(argv)


COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "demo": _demo,
    "run": _run,
    "generate": _generate,
    "check": _check,
    "template": _template,
    "sql": _sql,
    "report": _report,
    "dictionary": _dictionary,
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    command = COMMANDS.get(args[0])
    if command is None:
        print(f"landscape: unknown command '{args[0]}'.\n\n{USAGE}", file=sys.stderr)
        return 2
    return command(args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
