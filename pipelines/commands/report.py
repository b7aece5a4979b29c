"""`landscape report [--single-file] [--pdf] [--out DIR]`: build the report site from the analysts' copy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.paths import HomeLayout
from pipelines.reports.pdf import PdfError, print_pdfs
from pipelines.reports.site import build_site


def analyst_warehouse(layout: HomeLayout) -> Path:
    return layout.analyst_warehouse


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="landscape report", description="Build the national and state landscape reports."
    )
    p.add_argument(
        "--single-file",
        action="store_true",
        help="self-contained HTML files (plotly.js inlined) to send by email",
    )
    p.add_argument(
        "--pdf",
        action="store_true",
        help="also print the national and state reports to PDF (needs /usr/bin/chromium)",
    )
    p.add_argument("--out", type=Path, default=None, help="output folder (default: $LANDSCAPE_HOME/reports)")
    p.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="warehouse file (default: $LANDSCAPE_HOME/analyst/warehouse.duckdb)",
    )
    p.add_argument("--run-id", default=None, help="run id shown in every page footer")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    layout = HomeLayout.from_env()
    warehouse = args.warehouse or analyst_warehouse(layout)
    out = args.out or layout.reports
    if not warehouse.is_file():
        print(
            f"landscape report: no analyst warehouse copy at {warehouse}; run the pipeline first",
            file=sys.stderr,
        )
        return 2
    result = build_site(warehouse, out, single_file=args.single_file, run_id=args.run_id)
    print(
        f"wrote {len(result.pages)} pages and {len(result.downloads)} downloads to {out} "
        f"({result.packages} packages, run {result.run_id}, version {result.version})"
    )
    if args.pdf:
        try:
            pdfs = print_pdfs(out, out / "pdf")
        except PdfError as exc:
            print(f"landscape report: {exc}", file=sys.stderr)
            return 1
        print(f"wrote {len(pdfs)} PDFs to {out / 'pdf'}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
