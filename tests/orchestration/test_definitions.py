"""The code location loads with every asset, check, job, sensor and schedule."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import defs

EXPECTED_ASSETS = {
    "intake_log",
    "package_versions",
    "validated_packages",
    "warehouse_partition",
    "grantee_feedback",
    "missing_feedback",
    "marts",
    "published_warehouse",
    "landscape_reports",
}


def test_every_asset_is_defined():
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == EXPECTED_ASSETS


def test_each_asset_and_check_is_loaded_once():
    """A definitions module that imports another's asset object makes load_from_defs_folder find it twice."""
    assets, checks = list(defs.assets or []), list(defs.asset_checks or [])
    assert len({id(a) for a in assets}) == len(assets) == len(EXPECTED_ASSETS)
    assert len({id(c) for c in checks}) == len(checks)


def test_gx_check_is_blocking_on_validated_packages():
    graph = defs.resolve_asset_graph()
    [check_key] = [k for k in graph.asset_check_keys if k.name == "column_rules_hold_in_gx"]
    assert check_key.asset_key == dg.AssetKey("validated_packages")
    assert graph.get_check_spec(check_key).blocking


def test_jobs_sensors_schedules_are_present():
    assert {j.name for j in defs.resolve_all_job_defs()} >= {"ingest_partition", "refresh_reports"}
    assert {s.name for s in defs.sensors} == {
        "landing_sensor",
        "refresh_after_ingest",
        "alert_on_run_failure",
    }
    assert {s.name for s in defs.schedules} == {"nightly_ingest", "report_refresh"}


def test_every_warehouse_writer_is_in_the_single_writer_pool():
    graph = defs.resolve_asset_graph()
    writers = {
        "package_versions",
        "validated_packages",
        "warehouse_partition",
        "marts",
        "published_warehouse",
    }
    for name in writers:
        node = graph.get(dg.AssetKey(name))
        assert node.pools == {"duckdb_writer"}, name


def test_partitioned_assets_share_state_by_period_partitions():
    graph = defs.resolve_asset_graph()
    for name in ("package_versions", "validated_packages", "warehouse_partition", "grantee_feedback"):
        partitions = graph.get(dg.AssetKey(name)).partitions_def
        assert isinstance(partitions, dg.MultiPartitionsDefinition)
        assert set(partitions.partition_dimension_names) == {"state", "period"}
    states = graph.get(dg.AssetKey("package_versions")).partitions_def.get_partitions_def_for_dimension(
        "state"
    )
    assert len(states.get_partition_keys()) == 52  # 50 states, DC and PR


def test_resources_are_bound():
    assert set(defs.resources) >= {"settings", "warehouse"}


def test_each_asset_lives_in_the_folder_named_after_its_group_and_declares_its_kinds():
    import inspect
    from pathlib import Path

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        source = Path(inspect.getsourcefile(node.assets_def.op.compute_fn.decorated_fn))
        assert source.parent.name == node.group_name, (key.to_user_string(), source)
        assert node.kinds, f"{key.to_user_string()} declares no kinds"
