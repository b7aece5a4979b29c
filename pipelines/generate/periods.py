"""Fiscal-year lists as people type them: a range, a comma list or one year."""

from __future__ import annotations

from pipelines.contract import load_contract


class PeriodsError(ValueError):
    pass


def parse_periods(text: str) -> list[str]:
    """'FY2024-FY2026' -> FY2024, FY2025, FY2026; 'FY2024,FY2026' -> those two; 'FY2025' -> one."""
    pattern = load_contract().pattern("reporting_period")
    text = text.strip().upper()
    if "-" in text:
        first, _, last = text.partition("-")
        if not (pattern.fullmatch(first) and pattern.fullmatch(last)) or first > last:
            raise PeriodsError(f"--periods range must be like FY2024-FY2026, got {text!r}")
        return [f"FY{year}" for year in range(int(first[2:]), int(last[2:]) + 1)]
    periods = [p.strip() for p in text.split(",") if p.strip()]
    bad = [p for p in periods if not pattern.fullmatch(p)]
    if bad or not periods:
        raise PeriodsError(f"--periods must be FY-years like FY2024-FY2026 or FY2024,FY2026, got {text!r}")
    return periods
