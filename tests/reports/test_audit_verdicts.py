"""The LP audit's verdicts kept with the live site: a group is taken over only when the very same question
was answered before; anything else (one count changed, a mark dropped, a verdict file from other data) is
audited again, and a site whose suppression exposes a cell is never published."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from test_incremental_site import _content, _files, frozen_clock, warehouses  # noqa: F401 (fixtures)

from pipelines.reports import site as site_module
from pipelines.reports.audit import DisclosureError, audit_counts
from pipelines.reports.audit_verdicts import VERDICTS_NAME, Verdicts
from pipelines.reports.cells import build_publication
from pipelines.reports.data import read_landscape
from pipelines.reports.packages_csv import PARTS_INDEX
from pipelines.reports.reuse import MANIFEST_NAME
from pipelines.reports.site import build_site
from pipelines.reports.suppression import Published, SmallCellRule, suppress

RULE = SmallCellRule.from_contract()


def _audit(pub, counts, verdicts=None):
    return audit_counts(pub.values, pub.atoms, pub.relations, counts, RULE, verdicts)


def _unhide_complementary(counts, values):
    """The suppression without its complementary cells: some `<11` cell can then be worked out."""
    cells = {
        k: Published(int(values[k])) if k in counts.complementary else c for k, c in counts.cells.items()
    }
    return replace(counts, cells=cells, complementary=set())


def test_the_same_question_takes_the_verdict_and_the_same_answer(fixture_warehouse):
    pub = build_publication(read_landscape(fixture_warehouse.path))
    counts = suppress(pub, RULE)
    cold = Verdicts()
    first = _audit(pub, counts, cold)
    warm = Verdicts(previous=dict(cold.current))
    second = _audit(pub, counts, warm)
    assert first.ok and second.ok and first.groups > 1
    assert first.groups_reused == 0 and second.groups_reused == second.groups == first.groups
    assert (second.lp_solves, second.ip_solves) == (first.lp_solves, first.ip_solves)
    assert warm.current == cold.current


def test_one_count_changed_in_a_group_audits_that_group_again(fixture_warehouse):
    pub = build_publication(read_landscape(fixture_warehouse.path))
    counts = suppress(pub, RULE)
    cold = Verdicts()
    _audit(pub, counts, cold)
    # One hidden count one higher (or lower): its group's rows change, every other group's do not.
    hidden = sorted(counts.primary, key=repr)[0]
    changed = {**pub.values, hidden: pub.values[hidden] + 1 if pub.values[hidden] < RULE.threshold - 1 else 1}
    warm = Verdicts(previous=dict(cold.current))
    result = audit_counts(changed, pub.atoms, pub.relations, counts, RULE, warm)
    fresh = audit_counts(changed, pub.atoms, pub.relations, counts, RULE, Verdicts())
    assert result.groups_reused == result.groups - 1  # every group but the one holding the changed count
    assert [e.message() for e in result.exposures] == [e.message() for e in fresh.exposures]
    assert (result.lp_solves, result.ip_solves) == (fresh.lp_solves, fresh.ip_solves)


def test_verdicts_of_a_safe_suppression_cannot_pass_an_exposing_one(fixture_warehouse):
    pub = build_publication(read_landscape(fixture_warehouse.path))
    counts = suppress(pub, RULE)
    safe = Verdicts()
    assert _audit(pub, counts, safe).ok
    exposing = _unhide_complementary(counts, pub.values)
    assert not _audit(pub, exposing).ok
    # Every verdict the safe audit reached, offered again: none answers the exposing question.
    result = _audit(pub, exposing, Verdicts(previous=dict(safe.current)))
    assert not result.ok and result.groups_reused < result.groups


def test_a_stale_verdict_file_cannot_publish_an_exposing_site(fixture_warehouse, tmp_path, monkeypatch):
    live = tmp_path / "reports"
    build_site(fixture_warehouse.path, live, run_id="safe")
    # The live file made as permissive as it can be: every group's verdict says nothing can be narrowed.
    # Its keys are the safe site's questions, so none answers the exposing suppression's.
    verdicts = json.loads((live / VERDICTS_NAME).read_text(encoding="utf-8"))
    assert verdicts["groups"]
    verdicts["groups"] = {key: [[], lp, ip] for key, (_, lp, ip) in verdicts["groups"].items()}
    (live / VERDICTS_NAME).write_text(json.dumps(verdicts), encoding="utf-8")
    before = {name: path.read_bytes() for name, path in _files(live).items()}
    safe_suppress = site_module.suppress
    monkeypatch.setattr(
        site_module, "suppress", lambda pub, rule: _unhide_complementary(safe_suppress(pub, rule), pub.values)
    )
    with pytest.raises(DisclosureError):
        build_site(fixture_warehouse.path, live, run_id="exposing")
    assert {name: path.read_bytes() for name, path in _files(live).items()} == before


def test_a_refresh_with_warm_or_cold_verdicts_is_a_render_from_scratch(warehouses, tmp_path, frozen_clock):  # noqa: F811
    before, after = warehouses
    scratch = tmp_path / "scratch"
    fresh = build_site(after, scratch, run_id="run")
    for verdicts in ("warm", "cold"):
        live = tmp_path / verdicts
        build_site(before, live, run_id="run")
        if verdicts == "cold":
            (live / VERDICTS_NAME).unlink()
        result = build_site(after, live, run_id="run")
        assert (result.audit.groups_reused > 0) == (verdicts == "warm")
        assert result.audit.groups_reused < result.audit.groups  # the changed state's groups: audited again
        got, want = _files(live), _files(scratch)
        assert set(got) == set(want)
        skip = {MANIFEST_NAME, VERDICTS_NAME, PARTS_INDEX.as_posix()}
        assert [n for n in sorted(want) if n not in skip and _content(got[n]) != _content(want[n])] == []
        assert (result.audit.lp_solves, result.audit.ip_solves) == (
            fresh.audit.lp_solves,
            fresh.audit.ip_solves,
        )
        assert json.loads((live / VERDICTS_NAME).read_text()) == json.loads(
            (scratch / VERDICTS_NAME).read_text()
        )
