"""Same arguments -> byte-identical tree with identical modification times; other seed -> another tree."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from pipelines.generate import generate_landing
from tests.generate.trees import snapshot


def test_two_runs_give_identical_bytes_and_times(tmp_path: Path) -> None:
    options = dict(seed=3, scale=0.05, error_rate=0.2, states=["NY", "VT"])
    first = generate_landing(tmp_path / "a", **options)
    second = generate_landing(tmp_path / "b", **options)
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert a == b
    assert any(path.endswith(".xlsx") for path in a), "the comparison must cover workbooks"
    assert first.to_json() == second.to_json()


def test_all_states_at_tiny_scale_are_reproducible(tmp_path: Path, national) -> None:
    out, manifest = national
    again = generate_landing(tmp_path / "again", scale=0.01)
    assert snapshot(out) == snapshot(tmp_path / "again")
    assert again.to_json() == manifest.to_json()


def test_another_seed_gives_another_tree(tmp_path: Path) -> None:
    generate_landing(tmp_path / "a", seed=1, scale=0.02, states=["VT"])
    generate_landing(tmp_path / "b", seed=2, scale=0.02, states=["VT"])
    assert snapshot(tmp_path / "a") != snapshot(tmp_path / "b")


def test_a_state_looks_the_same_whichever_states_come_with_it(tmp_path: Path) -> None:
    generate_landing(tmp_path / "alone", scale=0.05, states=["VT"])
    generate_landing(tmp_path / "with", scale=0.05, states=["VT", "NH"])
    alone = snapshot(tmp_path / "alone" / "VT")
    assert alone == snapshot(tmp_path / "with" / "VT")


def test_file_times_follow_the_period(national) -> None:
    out, manifest = national
    for package in manifest.packages[:50]:
        path = out / package.path
        files = [path] if path.is_file() else list(path.iterdir())
        assert {os.stat(f).st_mtime_ns // 1_000_000_000 for f in files} == {package.mtime}
        arrived = datetime.fromtimestamp(package.mtime, UTC)
        # Wave 1 arrives in the period's last two months (August or September of its fiscal year).
        assert (arrived.year, arrived.month) in {(int(package.period[2:]), 8), (int(package.period[2:]), 9)}
