"""One module per report section: each is a function from a page's Context (the landscape, its suppressed
people counts, the page's place and fiscal years) to a Section (or, for the state-only lists, a table).

Shared: `base` (Section, Chart, Headline), `context` (Context), `figures` (reading a figure, the reasons a
figure is missing, summary formatting). A table's columns are declared in sql/reports/columns.yaml.
"""
