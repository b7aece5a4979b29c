"""What a section is made of: a published table, charts drawn from its columns, and (headline) key figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.reports.tables import PublishedTable


@dataclass
class Chart:
    """A chart spec the renderer turns into a Plotly figure; values are already publishable."""

    kind: str  # bar | choropleth | line
    x: list
    y: list
    label: str  # axis / colour-bar label with units
    locations: list | None = None
    series: dict[str, list] | None = None  # line charts: name -> values
    no_data: list | None = None  # map locations without a value: drawn grey, with a legend entry


@dataclass
class Section:
    id: str
    title: str
    table: PublishedTable
    charts: list[Chart] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return self.table.summary


@dataclass
class Headline:
    label: str
    value: str
    change: str


def bar(rows: list[list], value_at: int, label: str, *, name_at: int = 0) -> Chart:
    """A bar per table row: its first cell names it, the cell at `value_at` sizes it."""
    return Chart("bar", [r[name_at] for r in rows], [r[value_at] for r in rows], label)
