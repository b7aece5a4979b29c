"""The body rows of a published table as HTML, written in Python: a state page lists every grantee and its
submission status (a thousand rows and more in a large state), which the template's per-cell loop took most of
the page's render time to write. The text is exactly what reports/templates/_table.html.j2 wrote before (the
same escaping, the same cell formatting: `format_cell`), one `<tr>` per row, each on its own line."""

from __future__ import annotations

from markupsafe import Markup, escape

from pipelines.reports.tables import PublishedTable, format_cell


def body_rows(table: PublishedTable, root: str) -> Markup:
    """Every row of the table's body: the first cell a row header (linked where the table links it), the others
    data cells carrying their column's kind and name."""
    columns = [
        (column.kind, f'<td class="{escape(column.kind)}" data-column="{escape(column.name)}">')
        for column in table.columns
    ]
    root_text = escape(root)
    lines = []
    for index, row in enumerate(table.rows):
        cells = []
        for position, value in enumerate(row):
            if position == 0:
                link = table.links.get(index)
                label = escape(value)
                header = label if link is None else f'<a href="{root_text}{escape(link)}">{label}</a>'
                cells.append(f'<th scope="row">{header}</th>')
            else:
                kind, opening = columns[position]
                cells.append(f"{opening}{escape(format_cell(value, kind))}</td>")
        lines.append("\n    <tr>" + "".join(cells) + "</tr>")
    return Markup("".join(lines))
