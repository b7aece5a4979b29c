"""`landscape report`: reads the published warehouse under LANDSCAPE_HOME and writes the site."""

from __future__ import annotations

import shutil

from pipelines.commands.report import main


def test_report_command_builds_the_site_from_the_published_warehouse(
    fixture_warehouse, tmp_path, monkeypatch, capsys
):
    home = tmp_path / "home"
    (home / "analyst").mkdir(parents=True)
    shutil.copyfile(fixture_warehouse.path, home / "analyst" / "warehouse.duckdb")
    monkeypatch.setenv("LANDSCAPE_HOME", str(home))
    assert main(["--run-id", "cli-1"]) == 0
    index = home / "reports" / "index.html"
    assert index.is_file() and "cli-1" in index.read_text(encoding="utf-8")
    assert (home / "reports" / "assets" / "plotly.min.js").is_file()
    assert "wrote 7 pages" in capsys.readouterr().out


def test_report_command_writes_single_files_to_another_folder(fixture_warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("LANDSCAPE_HOME", str(tmp_path / "home"))
    out = tmp_path / "mail"
    assert main(["--single-file", "--out", str(out), "--warehouse", str(fixture_warehouse.path)]) == 0
    assert (out / "index.html").is_file() and not (out / "assets").exists()


def test_report_command_without_a_published_warehouse_fails_clearly(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LANDSCAPE_HOME", str(tmp_path / "empty"))
    assert main([]) == 2
    assert "no analyst warehouse copy" in capsys.readouterr().err
