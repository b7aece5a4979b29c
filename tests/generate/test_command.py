"""`landscape generate`: arguments, usage errors (exit 2) and the manifest file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipelines.commands.generate import main
from pipelines.generate import GenerationManifest
from pipelines.generate.periods import PeriodsError, parse_periods


def test_period_ranges_and_lists() -> None:
    assert parse_periods("FY2024-FY2026") == ["FY2024", "FY2025", "FY2026"]
    assert parse_periods("fy2025") == ["FY2025"]
    assert parse_periods("FY2024,FY2026") == ["FY2024", "FY2026"]
    for bad in ("2024-2026", "FY2026-FY2024", "FY24", ""):
        with pytest.raises(PeriodsError):
            parse_periods(bad)


def test_generates_a_tree_and_a_json_manifest(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out, manifest_file = tmp_path / "landing", tmp_path / "manifest.json"
    code = main(
        [
            "--out",
            str(out),
            "--seed",
            "3",
            "--periods",
            "FY2025-FY2026",
            "--scale",
            "0.02",
            "--error-rate",
            "0.5",
            "--states",
            "vt,NH",
            "--manifest",
            str(manifest_file),
        ]
    )
    assert code == 0
    manifest = GenerationManifest.from_json(manifest_file.read_text(encoding="utf-8"))
    assert manifest.states == ["NH", "VT"] and manifest.periods == ["FY2025", "FY2026"]
    assert sorted(p.name for p in out.iterdir()) == ["NH", "VT"]
    assert all((out / p.path).exists() for p in manifest.packages)
    assert manifest.mistaken
    assert f"{len(manifest.packages)} packages" in capsys.readouterr().out


def test_csv_manifest_has_one_row_per_package(tmp_path: Path) -> None:
    out, manifest_file = tmp_path / "landing", tmp_path / "manifest.csv"
    assert (
        main(["--out", str(out), "--scale", "0.02", "--states", "VT", "--manifest", str(manifest_file)]) == 0
    )
    with manifest_file.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {"path", "grantee_id", "period", "kind", "mistake", "expected_rule"} <= set(rows[0])
    assert all((out / r["path"]).exists() for r in rows)


def test_wave_two_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "landing"
    args = ["--out", str(out), "--scale", "0.1", "--error-rate", "0.5", "--states", "CT"]
    assert main(args) == 0
    assert main([*args, "--wave", "2", "--manifest", str(tmp_path / "wave2.json")]) == 0
    wave2 = GenerationManifest.from_json((tmp_path / "wave2.json").read_text(encoding="utf-8"))
    assert wave2.wave == 2 and wave2.packages and all(p.resubmission for p in wave2.packages)


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--periods", "2024-2026"], "--periods"),
        (["--scale", "0"], "--scale"),
        (["--error-rate", "1.5"], "--error-rate"),
        (["--states", "NY,XX"], "XX"),
        (["--manifest", "{out}/manifest.json"], "outside --out"),
        (["--wave", "0"], "--wave"),
        (["--seed", "seven"], "invalid int"),
    ],
)
def test_usage_errors_exit_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture, extra, message
) -> None:
    out = tmp_path / "landing"
    argv = ["--out", str(out), "--scale", "0.02", "--states", "VT", *[a.format(out=out) for a in extra]]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_refuses_a_non_empty_folder_and_a_missing_out(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "stray.txt").write_text("x")
    assert main(["--out", str(tmp_path), "--states", "VT"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main([]) == 2
    assert "--out" in capsys.readouterr().err


def test_wave_two_without_a_first_wave_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["--out", str(tmp_path / "none"), "--states", "VT", "--wave", "2"]) == 2
    assert "generate wave 1 first" in capsys.readouterr().err
