"""Plotly figures for the report charts, serialised as JSON that is safe inside a <script> element."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio

from pipelines.reports.pages import Chart

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Cividis is designed to read the same for people with and without colour-vision deficiency.
SEQUENTIAL = "Cividis"
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


def figure(chart: Chart, title: str) -> go.Figure:
    """The Plotly figure for one chart spec (values are already publishable)."""
    if chart.kind == "choropleth":
        fig = go.Figure(
            go.Choropleth(
                locations=chart.locations,
                z=chart.y,
                locationmode="USA-states",
                colorscale=SEQUENTIAL,
                colorbar={"title": {"text": chart.label}},
                marker={"line": {"color": "white", "width": 0.5}},
                hovertemplate="%{location}: %{z:,.2f}<extra></extra>",
            )
        )
        fig.update_layout(**_layout(title, geo={"scope": "usa", "showlakes": False}))
        return fig
    if chart.kind == "line":
        fig = go.Figure(
            [
                go.Scatter(x=chart.x, y=values, name=name, mode="lines+markers")
                for name, values in (chart.series or {}).items()
            ]
        )
        fig.update_layout(
            **_layout(
                title,
                yaxis={"title": {"text": chart.label}, "rangemode": "tozero"},
                xaxis={"type": "category"},
            )
        )
        return fig
    # Horizontal bars keep long category names (counties, program types) readable; first row on top.
    fig = go.Figure(
        go.Bar(
            x=chart.y,
            y=chart.x,
            orientation="h",
            marker={"color": OKABE_ITO[0]},
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    height = max(220, 90 + 28 * len(chart.x))
    fig.update_layout(
        **{
            **_layout(
                title,
                xaxis={"title": {"text": chart.label}},
                yaxis={"automargin": True, "autorange": "reversed"},
            ),
            "height": height,
            "margin": {"l": 20, "r": 20, "t": 50, "b": 50},
        }
    )
    return fig


def script_json(value) -> str:
    """JSON that cannot close a <script> element or start an HTML comment, whatever text it carries."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in _SCRIPT_UNSAFE.items():
        text = text.replace(char, escaped)
    return text


def figure_spec(chart: Chart, title: str) -> dict:
    """data/layout/config for Plotly.newPlot, as plain JSON-able values."""
    spec = json.loads(pio.to_json(figure(chart, title), validate=True))
    # plotly.py's default template is large and only restates plotly.js defaults.
    spec.get("layout", {}).pop("template", None)
    return {"data": spec.get("data", []), "layout": spec.get("layout", {}), "config": PLOT_CONFIG}
