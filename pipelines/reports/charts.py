"""Plotly figures for the report charts, serialised as JSON that is safe inside a <script> element."""

from __future__ import annotations

import json

from pipelines.reports.sections.base import Chart

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Cividis is designed to read the same for people with and without colour-vision deficiency.
SEQUENTIAL = "Cividis"
NO_DATA_COLOUR = "#d9d9d9"
NO_DATA_LABEL = "No data"
PLOT_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["sendDataToCloud"]}
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _layout(title: str, **extra) -> dict:
    return dict(
        title={"text": title, "x": 0},
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 13},
        colorway=OKABE_ITO,
        margin={"l": 60, "r": 20, "t": 50, "b": 80},
        height=380,
        paper_bgcolor="white",
        plot_bgcolor="white",
        **extra,
    )


def _plain(values) -> list | None:
    """JSON-able Python values (numpy and pandas scalars become int/float; missing stays None)."""
    if values is None:
        return None
    out = []
    for value in list(values):
        item = value.item() if hasattr(value, "item") else value
        out.append(None if isinstance(item, float) and item != item else item)
    return out


def _no_data_trace(chart: Chart) -> list[dict]:
    """States without a value, drawn grey under the data and named in the legend."""
    if not chart.no_data:
        return []
    return [
        {
            "type": "choropleth",
            "locations": list(chart.no_data),
            "z": [0] * len(chart.no_data),
            "locationmode": "USA-states",
            "colorscale": [[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
            "showscale": False,
            "showlegend": True,
            "name": NO_DATA_LABEL,
            "marker": {"line": {"color": "white", "width": 0.5}},
            "hovertemplate": "%{location}: no data<extra></extra>",
        }
    ]


def traces_and_layout(chart: Chart, title: str) -> tuple[list[dict], dict]:
    """The plotly.js traces and layout for one chart spec (values are already publishable).

    Written as plotly.js JSON directly: building and validating plotly.py figure objects cost most of the
    site's rendering time, for the same output.
    """
    if chart.kind == "choropleth":
        valued = [
            (loc, z) for loc, z in zip(_plain(chart.locations), _plain(chart.y), strict=True) if z is not None
        ]
        trace = {
            "type": "choropleth",
            "locations": [loc for loc, _ in valued],
            "z": [z for _, z in valued],
            "locationmode": "USA-states",
            "colorscale": SEQUENTIAL,
            "colorbar": {"title": {"text": chart.label}},
            "marker": {"line": {"color": "white", "width": 0.5}},
            "hovertemplate": "%{location}: %{z:,.2f}<extra></extra>",
        }
        layout = _layout(
            title,
            geo={"scope": "usa", "showlakes": False},
            legend={"orientation": "h", "x": 0, "y": -0.05},
        )
        return [*_no_data_trace(chart), trace], layout
    if chart.kind == "line":
        traces = [
            {
                "type": "scatter",
                "x": _plain(chart.x),
                "y": _plain(values),
                "name": name,
                "mode": "lines+markers",
            }
            for name, values in (chart.series or {}).items()
        ]
        layout = _layout(
            title, yaxis={"title": {"text": chart.label}, "rangemode": "tozero"}, xaxis={"type": "category"}
        )
        return traces, layout
    # Horizontal bars keep long category names (counties, program types) readable; first row on top.
    trace = {
        "type": "bar",
        "x": _plain(chart.y),
        "y": _plain(chart.x),
        "orientation": "h",
        "marker": {"color": OKABE_ITO[0]},
        "hovertemplate": "%{y}: %{x:,}<extra></extra>",
    }
    layout = {
        **_layout(
            title, xaxis={"title": {"text": chart.label}}, yaxis={"automargin": True, "autorange": "reversed"}
        ),
        "height": max(220, 90 + 28 * len(chart.x)),
        "margin": {"l": 20, "r": 20, "t": 50, "b": 50},
    }
    return [trace], layout


def script_json(value) -> str:
    """JSON that cannot close a <script> element or start an HTML comment, whatever text it carries."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in _SCRIPT_UNSAFE.items():
        text = text.replace(char, escaped)
    return text


def figure_spec(chart: Chart, title: str) -> dict:
    """data/layout/config for Plotly.newPlot, as plain JSON-able values."""
    data, layout = traces_and_layout(chart, title)
    return {"data": data, "layout": layout, "config": PLOT_CONFIG}
