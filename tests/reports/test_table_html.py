"""A table's body rows written in Python (pipelines/reports/table_html.py) are, character for character, what the
template's per-cell loop wrote: every kind of cell, escaping, links and missing figures. The loop below is the
one reports/templates/_table.html.j2 held before, kept here as the reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, StrictUndefined

from pipelines.reports.table_html import body_rows
from pipelines.reports.tables import Column, Missing, PublishedTable, format_cell

TEMPLATE_LOOP = """<tbody>
  {%- for row in t.rows %}
    {%- set i = loop.index0 %}
    <tr>{% for v in row %}{% set c = t.columns[loop.index0] %}{% if loop.first %}<th scope="row">{% if i in t.links %}<a href="{{ root }}{{ t.links[i] }}">{{ v }}</a>{% else %}{{ v }}{% endif %}</th>{% else %}<td class="{{ c.kind }}" data-column="{{ c.name }}">{{ fmt(v, c.kind) }}</td>{% endif %}{% endfor %}</tr>
  {%- endfor %}
  </tbody>"""

KINDS = ["text", "count", "people", "usd", "usd_ratio", "share", "ratio"]
text = st.text(alphabet=st.sampled_from(list("aZ <>&\"'/é")), max_size=8)


def _cell(kind: str):
    numbers = st.one_of(st.integers(0, 10**9), st.floats(0, 10**6, allow_nan=False))
    return st.one_of(st.none(), text, st.builds(Missing, text), numbers if kind != "text" else text)


@st.composite
def tables(draw) -> PublishedTable:
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=5))
    columns = [Column(f"c{i}<{k}>", "label", k) for i, k in enumerate(["text", *kinds])]
    rows = draw(st.lists(st.tuples(text, *(_cell(k) for k in kinds)).map(list), max_size=6))
    linked = draw(st.sets(st.integers(0, max(len(rows) - 1, 0)), max_size=len(rows)))
    links = {i: draw(st.sampled_from(["states/NY.html", "a&b.html", ""])) for i in linked if i < len(rows)}
    return PublishedTable("slug", "Title", "", "people", columns, rows, links=links)


def _reference(table: PublishedTable, root: str) -> str:
    env = Environment(autoescape=True, undefined=StrictUndefined)
    env.globals["fmt"] = format_cell
    return env.from_string(TEMPLATE_LOOP).render(t=table, root=root)


@settings(max_examples=300, deadline=None)
@given(table=tables(), root=st.sampled_from(["", "../", "a&b/"]))
def test_body_rows_are_what_the_template_loop_wrote(table, root):
    assert f"<tbody>{body_rows(table, root)}\n  </tbody>" == _reference(table, root)


def test_an_empty_table_has_an_empty_body():
    table = PublishedTable("slug", "Title", "", "people", [Column("state", "State")], [])
    assert body_rows(table, "") == ""
