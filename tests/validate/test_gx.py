"""GX suites follow the contract, and GX agrees with the engine cell for cell."""

from __future__ import annotations

import polars as pl

from pipelines.contract import load_contract
from pipelines.paths import EXPECTATIONS_DIR
from pipelines.validate.batch import validate_batch
from pipelines.validate.gx_runner import gx_failures, raw_batch_tables, run_gx_column_checks
from pipelines.validate.gx_suites import suite_text
from pipelines.validate.model import PACKAGE_KEY
from tests.validate.helpers import TODAY, context, read_of, valid_tables

CELL = [PACKAGE_KEY, "rule_id", "table_name", "row_number", "column_name", "value"]


def test_checked_in_suites_are_what_the_contract_generates():
    for table in load_contract().tables.values():
        path = EXPECTATIONS_DIR / f"{table.name}.json"
        assert path.exists(), f"{path} missing: run python -m pipelines.validate.gx_suites"
        assert path.read_text(encoding="utf-8") == suite_text(table), (
            f"{path.name} drifted from contract.yaml: run python -m pipelines.validate.gx_suites"
        )
    assert sorted(p.stem for p in EXPECTATIONS_DIR.glob("*.json")) == sorted(load_contract().tables)


def _batch():
    bad = valid_tables()
    bad["organization"][0].update(
        organization_name=None,
        year_founded="2030",
        state="ny",
        reporting_period="FY2031",
        autonomous="maybe",
        county_fips="3606",
    )
    bad["programs"][0].update(
        participants_served="1,234",
        setting="URBAN",
        hours_per_week="200",
        program_id="X" * 41,
        emotional_support="Y",
    )
    bad["programs"][1].update(
        new_participants="-3", contacts="12.0", county_fips=None, program_type="shelter"
    )
    bad["funding"][0].update(amount_usd="12.345", funding_source="MHBG")
    bad["workforce"][1].update(headcount="10001", fte="1.5", role="chief")
    bad["outcomes"][0].update(respondents="007", improved="abc")
    return [
        (context(), read_of(valid_tables())),
        (context(grantee_id="NY-0043", version=3), read_of(bad)),
    ]


def test_gx_and_engine_find_the_same_bad_cells():
    packages = _batch()
    engine = validate_batch(packages, TODAY)
    cell_rules = engine.findings.filter(pl.col("rule_id").is_in(load_contract().cell_rule_order)).select(CELL)
    gx = gx_failures(raw_batch_tables(packages, TODAY))
    assert cell_rules.height >= 15
    assert sorted(gx.rows()) == sorted(cell_rules.rows())
    assert run_gx_column_checks(packages, TODAY, engine) == []


def test_asset_check_reports_a_column_failure_in_an_accepted_package():
    packages = _batch()[:1]
    engine = validate_batch(packages, TODAY)
    # pretend the engine had accepted a package with a bad cell: the check must notice
    tables = valid_tables()
    tables["programs"][0]["setting"] = "moon"
    mismatches = run_gx_column_checks([(context(), read_of(tables))], TODAY, engine)
    assert [(m["rule_id"], m["table_name"], m["row_number"], m["column_name"]) for m in mismatches] == [
        ("F03", "programs", 2, "setting")
    ]


def test_each_call_judges_its_own_frames_though_gx_keeps_one_context_per_process():
    bad, clean = _batch(), [(context(), read_of(valid_tables()))]
    first = gx_failures(raw_batch_tables(bad, TODAY))
    assert first.height >= 15
    assert gx_failures(raw_batch_tables(clean, TODAY)).height == 0  # nothing of the bad frames is left over
    again = gx_failures(raw_batch_tables(bad, TODAY))
    assert sorted(again.rows()) == sorted(first.rows())
    fewer = valid_tables()
    fewer["programs"] = fewer["programs"][:1]  # another shape: one programs row instead of several
    fewer["programs"][0]["setting"] = "moon"
    found = gx_failures(raw_batch_tables([(context(), read_of(fewer))], TODAY))
    assert [(r["table_name"], r["row_number"], r["column_name"]) for r in found.to_dicts()] == [
        ("programs", 2, "setting")
    ]
