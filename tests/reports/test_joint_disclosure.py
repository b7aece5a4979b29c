"""Joint disclosure control, property-based: random small landscapes with many counts from 1 to 30 over few
counties and types are built into sites, and an independent attacker reading only the downloads
(download_attacker.py, integer programs) finds no hidden count it can pin or narrow beyond its mark."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from download_attacker import read_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_fixture import (
    empty_rows,
    funding_row,
    grantee_row,
    outcome_row,
    package_row,
    program_row,
    status_row,
    workforce_row,
    write_warehouse,
)

from pipelines.contract import load_contract
from pipelines.reports.audit import DisclosureError, audit_counts
from pipelines.reports.cells import build_publication
from pipelines.reports.data import read_landscape
from pipelines.reports.site import build_site
from pipelines.reports.site_audit import SiteAudit
from pipelines.reports.suppression import Relation, SmallCellRule, suppress

RULE = SmallCellRule.from_contract()
# Three states of one HHS region (so regional and national sums link them) and one of another.
COUNTIES = {
    "CT": ["09110", "09120", "09150"],
    "RI": ["44007", "44003"],
    "VT": ["50007", "50001"],
    "NY": ["36061"],
}
TYPES = load_contract().code_values("program_type")[:3]
MEASURES = load_contract().code_values("measure")[:2]


@st.composite
def landscapes(draw) -> dict[str, list[dict]]:
    states = draw(st.lists(st.sampled_from(sorted(COUNTIES)), min_size=1, max_size=3, unique=True))
    periods = draw(st.sampled_from([["FY2025"], ["FY2024", "FY2025"]]))
    count = st.one_of(st.integers(1, 30), st.integers(1, 30), st.just(0), st.integers(31, 200))
    rows = empty_rows()
    for state in states:
        for period in periods:
            if period != periods[-1] and draw(st.booleans()):
                continue  # a state that did not report every year
            for g in range(draw(st.integers(1, 3))):
                gid, name = f"{state}-G{g:03d}", f"{state} org {g}"
                received = pd.Timestamp("2025-10-01 09:00:00")
                rows["grantees"].append(grantee_row(gid, state, period, name))
                rows["packages"].append(package_row(gid, state, period, 1, "0" * 64, received))
                rows["status"].append(status_row(gid, state, period, name, 1, received))
                for p in range(draw(st.integers(1, 4))):
                    served = draw(count)
                    program_type = draw(st.sampled_from(TYPES))
                    county = draw(st.sampled_from(COUNTIES[state]))
                    rows["programs"].append(
                        program_row(gid, state, period, f"P{p}", f"Program {p}", program_type, county, served)
                    )
                rows["funding"].append(funding_row(gid, state, period, "medicaid", 50000.0))
                rows["workforce"].append(workforce_row(gid, state, period, "peer_specialist", 3, 2.0, 2, 1))
                for measure in draw(st.lists(st.sampled_from(MEASURES), min_size=1, max_size=2, unique=True)):
                    respondents = draw(count)
                    improved = draw(st.integers(0, respondents))
                    rows["outcomes"].append(outcome_row(gid, state, period, measure, respondents, improved))
    return rows


def _site(tmp: Path, rows: dict, name: str = "site") -> Path:
    warehouse = tmp / f"{name}.duckdb"
    warehouse.unlink(missing_ok=True)
    write_warehouse(warehouse, rows)
    out = tmp / name
    shutil.rmtree(out, ignore_errors=True)
    build_site(warehouse, out, run_id="property")
    return out


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
@given(rows=landscapes())
def test_an_independent_attacker_of_the_downloads_recovers_nothing(rows, tmp_path):
    site = _site(tmp_path, rows)
    reader = read_site(site)
    assert reader.contradictions == []
    assert reader.exposures() == []


@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(rows=landscapes())
def test_same_data_gives_the_same_site(rows, tmp_path):
    first = _site(tmp_path, rows, "first")
    second = _site(tmp_path, rows, "second")
    files = sorted(p.relative_to(first) for p in first.rglob("*.csv"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*.csv"))
    for f in files:
        assert (first / f).read_bytes() == (second / f).read_bytes(), f


def test_a_planted_relation_that_re_exposes_a_hidden_cell_is_caught(fixture_warehouse):
    pub = build_publication(read_landscape(fixture_warehouse.path))
    out = suppress(pub, RULE)
    assert audit_counts(pub.values, pub.atoms, pub.relations, out, RULE).ok
    hidden = sorted((k for k in out.primary if k[2] == "county"), key=repr)[0]
    total = next(r for r in pub.relations if r.total == hidden)  # the county's own sum of program groups
    # One extra published figure: the county's people served plus a visible neighbour's, as a new total.
    neighbour = next(
        k for k, c in sorted(out.cells.items(), key=lambda kv: repr(kv[0])) if not c.hidden and c.value
    )
    leak = ("leak", "county plus neighbour")
    values = {**pub.values, leak: pub.values[hidden] + pub.values[neighbour]}
    out.cells[leak] = type(out.cells[neighbour])(values[leak])
    relations = [*pub.relations, Relation(leak, (hidden, neighbour))]
    result = audit_counts(values, pub.atoms, relations, out, RULE)
    exposed = {e.cell: e for e in result.exposures}
    assert hidden in exposed, "the re-exposed cell must be named"
    assert exposed[hidden].reason == "pinned" and "worked out exactly" in exposed[hidden].message()
    assert total.parts  # the county really is a sum of named program groups


def test_a_planted_number_in_a_download_is_caught_by_the_site_audit(fixture_warehouse, tmp_path, monkeypatch):
    from pipelines.reports import site as site_module

    original = site_module.SiteAudit.check_page

    def leak_then_check(self, page, path, **kwargs):
        csv = self.out_dir / "downloads" / page.key / "counties.csv"
        if csv.is_file() and "<11" in csv.read_text(encoding="utf-8"):
            csv.write_text(csv.read_text(encoding="utf-8").replace("<11", "7", 1), encoding="utf-8")
        return original(self, page, path, **kwargs)

    monkeypatch.setattr(SiteAudit, "check_page", leak_then_check)
    with pytest.raises(DisclosureError, match="counties.csv differs from the protected table"):
        build_site(fixture_warehouse.path, tmp_path / "site", run_id="leak")


def test_the_demo_like_fixture_site_passes_both_audits(built_site):
    assert built_site.audit is not None and built_site.audit.ok and built_site.audit.hidden > 0
    reader = read_site(built_site.out_dir)
    assert reader.contradictions == [] and reader.exposures() == []
    text = (built_site.out_dir / "methodology.html").read_text(encoding="utf-8")
    assert (
        f"{built_site.audit.primary} counts shown as" in text and "No hidden count can be worked out" in text
    )
