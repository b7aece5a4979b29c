"""Wave 2: some packages are resent in place (fixed, corrected or unchanged) with later file times."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.generate import generate_landing, generate_resubmissions
from tests.generate.conftest import WAVE_OPTIONS as OPTIONS
from tests.generate.light_check import check as light_check
from tests.generate.trees import snapshot


def package_files(tree: dict, path: str) -> dict:
    return {k: v for k, v in tree.items() if k == path or k.startswith(f"{path}/")}


def test_wave_two_resends_fixes_corrections_and_identical_copies(waves) -> None:
    out, first, before, second, after = waves
    reasons = {p.resubmission for p in second.packages}
    assert reasons == {"fix", "correction", "identical"}
    assert all(p.wave == 2 and p.mistake is None for p in second.packages)
    originals = {p.path: p for p in first.packages}
    for p in second.packages:
        original = originals[p.path]
        assert p.mtime > original.mtime
        files_before, files_after = package_files(before, p.path), package_files(after, p.path)
        contents_before = {k: v[0] for k, v in files_before.items()}
        contents_after = {k: v[0] for k, v in files_after.items()}
        if p.resubmission == "identical":
            assert original.mistake is None and contents_after == contents_before
        else:
            assert contents_after != contents_before
        if p.resubmission == "fix":
            assert original.mistake is not None
        assert light_check(out / p.path, p.state, p.period, p.grantee_id) <= {"W06"}


def test_most_rejected_packages_are_fixed(waves) -> None:
    _, first, _, second, _ = waves
    errors = [p for p in first.mistaken if p.expected_rule != "W05"]
    fixed = {p.path for p in second.packages if p.resubmission == "fix"}
    assert 0.4 * len(errors) < len(fixed & {p.path for p in errors}) <= len(errors)


def test_everything_else_is_left_alone(waves) -> None:
    _, _, before, second, after = waves
    resent = {p.path for p in second.packages}
    untouched = {k: v for k, v in before.items() if not any(k == r or k.startswith(f"{r}/") for r in resent)}
    assert {k: after[k] for k in untouched} == untouched
    assert set(after) == set(before)


def test_wave_two_is_deterministic(waves, tmp_path: Path) -> None:
    _, _, _, second, after = waves
    again = tmp_path / "landing"
    generate_landing(again, **OPTIONS)
    manifest = generate_resubmissions(again, wave=2, **OPTIONS)
    assert snapshot(again) == after
    assert manifest.to_json() == second.to_json()


def test_resubmissions_need_a_first_wave(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        generate_resubmissions(tmp_path / "nothing", wave=2, **OPTIONS)
    with pytest.raises(ValueError):
        generate_resubmissions(tmp_path, wave=1, **OPTIONS)
