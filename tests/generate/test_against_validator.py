"""The project's own reader and validation engine agree: clean packages draw no error, each mistaken
package draws exactly the rule its mistake names (plus W06 where the outcomes table was left out)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pipelines.contract import load_contract
from pipelines.ingest.readers import read_package
from pipelines.validate.batch import validate_batch
from pipelines.validate.model import PackageContext


def rules_by_package(out, manifest) -> dict[str, set[str]]:
    # "Today" is the last day of the last generated fiscal year, so no period is in the future.
    today = date(int(manifest.periods[-1][2:]), 9, 30)
    batch = [
        (PackageContext(p.grantee_id, p.state, p.period, 1), read_package(out / p.path))
        for p in manifest.packages
    ]
    result = validate_batch(batch, today)
    found: dict[str, set[str]] = defaultdict(set)
    for key, rule in result.findings.select("package_key", "rule_id").iter_rows():
        found[key].add(rule)
    return found


def expected_rules(package) -> set[str]:
    return ({package.expected_rule} if package.expected_rule else set()) | (
        {"W06"} if package.outcomes == "absent" else set()
    )


def test_validator_sees_exactly_the_injected_mistakes(few_states, national) -> None:
    for out, manifest in (few_states, national):
        found = rules_by_package(out, manifest)
        wrong = {
            p.path: (p.mistake, sorted(found[f"{p.grantee_id}|{p.period}|1"]))
            for p in manifest.packages
            if found[f"{p.grantee_id}|{p.period}|1"] != expected_rules(p)
        }
        assert not wrong


def test_validator_accepts_every_resubmitted_package(waves) -> None:
    out, _, _, second, _ = waves
    found = rules_by_package(out, second)
    for p in second.packages:
        errors = {
            r for r in found[f"{p.grantee_id}|{p.period}|1"] if load_contract().rules[r].severity == "error"
        }
        assert not errors, (p.path, p.resubmission, errors)
