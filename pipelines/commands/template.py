"""`landscape template --out FILE.xlsx`: the Excel template generated from the contract."""

from __future__ import annotations

from pathlib import Path

from pipelines.commands.parser import Parser


def main(argv: list[str]) -> int:
    parser = Parser(
        prog="landscape template",
        description="Write the grantee Excel template (one sheet per "
        "table, dropdowns for codes, input messages) generated from the contract.",
    )
    parser.add_argument("--out", required=True, type=Path, help="where to write the .xlsx file")
    args = parser.parse_args(argv)
    if args.out.suffix.lower() != ".xlsx":
        parser.error(f"--out must name an .xlsx file, not '{args.out.name}'")
    from pipelines.validate.template import write_template

    path = write_template(args.out)
    print(f"Template written: {path}")
    return 0
