"""Print the national and state reports to PDF with Debian's headless Chromium (print CSS applies)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from pipelines.settings import setting

CHROMIUM = Path(setting("LANDSCAPE_CHROMIUM"))
# No network, no background services, no profile left behind: the pages are local files.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
    # Charts are drawn at load for the window's width: make it the printable width of a Letter/A4 page.
    "--window-size=720,1000",
    # Lets Plotly finish drawing (maps resolve a promise) before the page is printed.
    "--virtual-time-budget=10000",
]
PRINT_TIMEOUT_SECONDS = 180


class PdfError(RuntimeError):
    pass


def report_pages(site_dir: Path) -> list[tuple[Path, Path]]:
    """(html page, pdf path relative to the output folder) for the national and every state report."""
    pages = [(site_dir / "index.html", Path("national.pdf"))]
    pages += [(p, Path("states") / f"{p.stem}.pdf") for p in sorted((site_dir / "states").glob("*.html"))]
    return [(html, pdf) for html, pdf in pages if html.is_file()]


def print_pdf(html: Path, pdf: Path, chromium: Path = CHROMIUM) -> Path:
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="landscape-chromium-") as profile:
        command = [
            str(chromium),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=PRINT_TIMEOUT_SECONDS, check=False
        )
    if result.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        raise PdfError(
            f"chromium could not print {html.name}: exit {result.returncode}: {result.stderr.strip()[-500:]}"
        )
    return pdf


def print_pdfs(site_dir: Path, out_dir: Path) -> list[Path]:
    """Print every report page of a built site; returns the PDFs written (national first)."""
    if not CHROMIUM.is_file():
        raise PdfError(f"{CHROMIUM} not found: install Debian's chromium package to print PDFs")
    return [print_pdf(html, out_dir / rel) for html, rel in report_pages(site_dir)]
