"""Clean packages satisfy the contract as far as an independent reading can tell, and look like the field."""

from __future__ import annotations

from collections import Counter, defaultdict

import openpyxl

from pipelines.contract import load_contract
from pipelines.generate import vocabulary
from tests.generate.light_check import check as light_check
from tests.generate.light_check import counties, read_tables


def clean_packages(manifest):
    return [p for p in manifest.packages if p.mistake is None]


def test_both_csv_folders_and_workbooks(national) -> None:
    out, manifest = national
    kinds = Counter(p.kind for p in manifest.packages)
    assert set(kinds) == {"csv", "xlsx"}
    assert 0.2 < kinds["xlsx"] / len(manifest.packages) < 0.5
    for p in manifest.packages:
        assert (out / p.path).is_dir() if p.kind == "csv" else (out / p.path).suffix == ".xlsx"


def test_clean_packages_pass_the_light_check(national, few_states) -> None:
    for out, manifest in (national, few_states):
        for p in clean_packages(manifest):
            found = light_check(out / p.path, p.state, p.period, p.grantee_id)
            expected = {"W06"} if p.outcomes == "absent" else set()
            assert found == expected, (p.path, found)


def test_counties_are_the_states_own_and_setting_follows_urbanicity(national) -> None:
    out, manifest = national
    reference = counties()
    settings = Counter()
    for p in clean_packages(manifest):
        tables = read_tables(out / p.path)
        for row in tables["programs"][1:]:
            state, urbanicity = reference[row["county_fips"]]
            assert state == p.state
            assert row["setting"] in (urbanicity, "virtual")
            settings[row["setting"]] += 1
    assert set(settings) == set(load_contract().code_values("setting"))


def _class(tables) -> str:
    """Peer-run class from the contract's five criteria, computed from the files."""
    contract = load_contract()
    truthy = set(contract.bool_values[True])
    org = tables["organization"][1]
    paid = [r for r in tables["workforce"][1:] if r["role"] != "volunteer"]
    headcount = sum(int(r["headcount"]) for r in paid)
    staffed = (
        org["director_lived_experience"].lower() in truthy
        and headcount > 0
        and sum(int(r["lived_experience_count"]) for r in paid) >= 0.5 * headcount
    )
    board = int(org["board_members_total"])
    governed = board > 0 and int(org["board_members_lived_experience"]) >= 0.51 * board
    independent = org["legal_status"] in ("independent_nonprofit", "fiscally_sponsored")
    run = (
        independent
        and governed
        and staffed
        and all(org[k].lower() in truthy for k in ("autonomous", "accountable"))
    )
    return "peer_run" if run else "peer_partnered" if staffed else "other"


def test_all_three_peer_classes_appear_and_manifest_names_them_right(national) -> None:
    out, manifest = national
    classes = Counter()
    for p in clean_packages(manifest):
        computed = _class(read_tables(out / p.path))
        assert computed == p.peer_class, p.path
        classes[computed] += 1
    assert set(classes) == {"peer_run", "peer_partnered", "other"}
    assert classes["peer_run"] > classes["other"] > 0


def test_outcomes_present_header_only_or_absent(national) -> None:
    out, manifest = national
    shapes = Counter(p.outcomes for p in manifest.packages)
    assert shapes["rows"] > shapes["absent"] > 0 and shapes["header_only"] > 0
    for p in manifest.packages[:80]:
        tables = read_tables(out / p.path)
        rows = len(tables["outcomes"]) - 1 if "outcomes" in tables else None
        assert {None: "absent", 0: "header_only"}.get(rows, "rows") == p.outcomes


def test_mix_of_programs_funding_and_small_programs(national) -> None:
    out, manifest = national
    types, sources, restricted, served = Counter(), Counter(), 0, []
    for p in clean_packages(manifest):
        tables = read_tables(out / p.path)
        types.update(r["program_type"] for r in tables["programs"][1:])
        sources.update(r["funding_source"] for r in tables["funding"][1:])
        restricted += sum(1 for r in tables["funding"][1:] if r["program_id"])
        served += [int(r["participants_served"]) for r in tables["programs"][1:]]
    assert len(types) >= 12
    assert types.most_common(1)[0][0] in ("peer_counseling", "drop_in_center", "support_group")
    assert {"mh_authority", "mhbg", "foundation"} <= set(sources)
    assert sources["mh_authority"] > sources["foundation"]
    categories = {c.code: c.category for c in load_contract().codes["funding_source"]}
    assert {categories[s] for s in sources} >= {"federal", "state_local", "private", "enterprise"}
    assert restricted > 0
    assert any(1 <= n <= 10 for n in served) and any(n >= 11 for n in served)


def test_a_grantee_stays_recognisable_from_year_to_year(national) -> None:
    out, manifest = national
    by_grantee = defaultdict(list)
    for p in clean_packages(manifest):
        by_grantee[p.grantee_id].append(p)
    changes, jumps = 0, 0
    for packages in by_grantee.values():
        years = [read_tables(out / p.path) for p in sorted(packages, key=lambda p: p.period)]
        names = {t["organization"][1]["organization_name"] for t in years}
        assert len(names) == 1
        totals = [sum(float(r["amount_usd"]) for r in t["funding"][1:]) for t in years]
        for before, after in zip(totals, totals[1:], strict=False):
            changes += 1
            jumps += not (before / 5 <= after <= before * 5)
        ids = [{r["program_id"] for r in t["programs"][1:]} for t in years]
        assert all(a & b for a, b in zip(ids, ids[1:], strict=False)), "programs carry over"
    assert changes > 20 and jumps <= 0.05 * changes


def test_workbook_cells(national) -> None:
    out, manifest = national
    workbook = next(p for p in clean_packages(manifest) if p.kind == "xlsx")
    wb = openpyxl.load_workbook(out / workbook.path, read_only=True)
    sheets = {ws.title.lower(): list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    header = [h for h in sheets["organization"][0]]
    row = dict(zip(header, sheets["organization"][1], strict=False))
    assert isinstance(row["county_fips"], str) and len(row["county_fips"]) == 5
    assert isinstance(row["year_founded"], int)
    assert {ws.lower() for ws in sheets} >= set(load_contract().required_tables)


def test_vocabulary_only_names_contract_codes() -> None:
    contract = load_contract()
    pairs = [
        (vocabulary.PROGRAM_TYPE_WEIGHTS, "program_type"),
        (vocabulary.PARTICIPANTS_RANGE, "program_type"),
        (vocabulary.PROGRAM_NAMES, "program_type"),
        (vocabulary.VIRTUAL_SHARE, "program_type"),
        (vocabulary.HOURS_RANGE, "program_type"),
        (vocabulary.CONTACTS_PER_PERSON, "program_type"),
        (vocabulary.FUNDING_PREVALENCE, "funding_source"),
        (vocabulary.FUNDING_SIZE, "funding_source"),
        (vocabulary.RESTRICTED_TO, "funding_source"),
        (vocabulary.ROLE_HEADCOUNT, "role"),
        (vocabulary.MEASURE_WEIGHTS, "measure"),
    ]
    for mapping, codes in pairs:
        assert set(mapping) <= set(contract.code_values(codes)), codes
    assert {t for types in vocabulary.RESTRICTED_TO.values() for t in types} <= set(
        contract.code_values("program_type")
    )
    supports = {c.name for c in contract.tables["programs"].columns if c.name.endswith("_support")}
    assert {f"{k}_support" for k in vocabulary.SUPPORT_PROFILE} == supports


def test_the_contracts_whole_domain_appears(national) -> None:
    """Puerto Rico, packages with only the required tables, optional cells all left empty, and a state in
    which no grantee reported for a period although its roster expects them."""
    out, manifest = national
    contract = load_contract()
    assert "PR" in manifest.states and any(p.state == "PR" for p in manifest.packages)
    assert any(p.outcomes == "absent" for p in clean_packages(manifest))
    sent = {(p.state, p.period) for p in manifest.packages}
    expected = {(gid[:2], period) for gid, period in manifest.not_submitted}
    quiet = {(s, period) for s in manifest.states for period in manifest.periods if (s, period) not in sent}
    assert quiet & expected, "some state should have grantees on its roster and no package for a period"
    blank = []
    for p in clean_packages(manifest):
        tables = read_tables(out / p.path)
        optional = [
            (name, c.name)
            for name, rows in tables.items()
            for c in contract.tables[name].columns
            if not c.required
            and not c.required_when
            and not any(c.name in k for k in contract.tables[name].unique)
        ]
        if all(not row.get(c) for name, c in optional for row in tables[name]):
            blank.append(p.path)
    assert blank, "some clean packages should leave every optional cell empty"
