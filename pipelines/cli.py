"""`landscape`: the command line for operators, analysts and grantees.

Subcommands: demo, run, generate, check, template, sql, report, dictionary. Usage errors exit 2.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable

USAGE = """landscape <command> [options]

commands:
  demo         generate sample data if absent, run the whole pipeline, print where the results are
  run          ingest everything in the landing tree, refresh marts and reports (non-zero exit on failure)
  rebuild      recreate the warehouse from the archive alone, then marts, feedback and reports
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


def _rebuild(argv: list[str]) -> int:
    from pipelines.commands.rebuild import main

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
    "rebuild": _rebuild,
    "generate": _generate,
    "check": _check,
    "template": _template,
    "sql": _sql,
    "report": _report,
    "dictionary": _dictionary,
}


# Dagster flags features it calls beta, preview or superseded when a definition uses them; they are chosen
# knowingly (see pipelines/defs/) and mean nothing to an operator, so the CLI never shows them.
HIDDEN_WARNINGS = ("BetaWarning", "PreviewWarning", "SupersessionWarning", "DeprecationWarning")
_show_warning = warnings.showwarning


def _show_operator_warning(message, category, filename, lineno, file=None, line=None) -> None:
    if category.__name__ not in HIDDEN_WARNINGS:
        _show_warning(message, category, filename, lineno, file, line)


def main(argv: list[str] | None = None) -> int:
    warnings.showwarning = _show_operator_warning
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
