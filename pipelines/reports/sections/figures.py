"""What every section shares: a figure read from a frame, the reasons a figure is missing, and the words and
numbers of the one-sentence summaries.

A frame value may be None (NULL in the warehouse), NaN, a Decimal (money), an int or a float; every figure
a section computes goes through `value` first, so it is a plain float or None from there on.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipelines.contract import load_contract
from pipelines.reports.suppression import COMPLEMENTARY_MARK, Published, derived_hidden
from pipelines.reports.tables import Missing

URBANICITY_LABELS = {"urban": "Urban", "suburban": "Suburban", "rural": "Rural"}
CLASS_LABELS_FALLBACK = {"peer_run": "Peer-run", "peer_partnered": "Peer-partnered", "other": "Other"}
# Why a figure is missing: each becomes the footnote under the tables that show NO_VALUE for it.
NO_POPULATION = (
    "no population figure in the reference data for this state or territory (the Census county "
    "estimates do not cover it), so no rate per resident"
)
NO_GRANTEES = "no grantee reported, so no share of grantees"
NOBODY_SERVED = "no one reported served, so no amount per person served"
NOT_REPORTED = "not reported: the warehouse holds no figure"
NO_FUNDING = "no funding reported, so no share of funding"
NO_STAFF = "no staff reported, so no share of staff"
NO_RESPONDENTS = "no respondents, so no share improved"
RATES_LEAVE_OUT = (
    "The national rates per resident count only the states and territories with a population figure."
)


def labels(name: str) -> dict[str, str]:
    """code -> label of one of the contract's code lists."""
    return {c.code: c.label for c in load_contract().codes[name]}


def class_labels() -> dict[str, str]:
    classes = load_contract().peer_run.get("classes", [])
    return {c["code"]: c["label"] for c in classes} or CLASS_LABELS_FALLBACK


def value(figure) -> float | None:
    """A figure as a float; None when the warehouse holds none (NULL or NaN) or it is not a number."""
    if figure is None or isinstance(figure, str):
        return None
    try:
        number = float(figure)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def count(figure) -> int:
    """A count of organizations, programs or staff: one the warehouse does not hold counts as none."""
    number = value(figure)
    return 0 if number is None else int(number)


def whole(figure) -> int | None:
    number = value(figure)
    return None if number is None else int(number)


def num(figure) -> float:
    number = value(figure)
    return 0.0 if number is None else number


def total(figures: Iterable) -> float | None:
    """Sum of the figures present, added in order; None when every one is missing (none at all sums to 0)."""
    figures = list(figures)
    numbers = [n for n in (value(v) for v in figures) if n is not None]
    if not numbers and figures:
        return None
    return float(sum(numbers))


def group_total(figures: Iterable, *, min_count: int = 0) -> float | None:
    """Sum of one group's figures as the published tables have always added money: as floats, in row order,
    with compensated (Kahan) summation; None when fewer than `min_count` figures are present.

    An exact decimal sum would differ in the last digit of some chart values (70139.73999999999 against
    70139.74), so the pages would change for no reader's benefit."""
    present, compensation, result = 0, 0.0, 0.0
    for number in (value(v) for v in figures):
        if number is None:
            continue
        present += 1
        y = number - compensation
        t = result + y
        compensation = t - result - y
        if compensation != compensation:
            compensation = 0.0
        result = t
    return None if present < min_count else result


def ratio(numerator, denominator) -> float | None:
    numerator, denominator = value(numerator), value(denominator)
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def difference(now, before) -> float | None:
    now, before = value(now), value(before)
    return None if now is None or before is None else now - before


def or_missing(figure, reason: str):
    return Missing(reason) if figure is None else figure


def chartable(cell) -> float | None:
    """What a chart plots for a cell: the number, or nothing for a missing or withheld figure."""
    return None if isinstance(cell, Missing | str) else value(cell)


def is_false(flag) -> bool:
    """A criterion that is known not to hold (an unknown one is not reported as failed)."""
    return flag is not None and flag == flag and not bool(flag)


def shown(cell: Published | None):
    return None if cell is None else cell.shown()


def shown_or(cell: Published | None, reason: str):
    return Missing(reason) if cell is None else cell.shown()


def hidden_or(cells: tuple, figure):
    return COMPLEMENTARY_MARK if derived_hidden(*cells) else figure


def fmt_int(figure) -> str:
    number = value(figure)
    return "an unknown number of" if number is None else f"{int(number):,}"


def fmt_usd(figure) -> str:
    number = value(figure)
    return "an unknown amount" if number is None else f"${number:,.0f}"
