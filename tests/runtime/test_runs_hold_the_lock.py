"""Every Dagster run that writes holds the home's lock for the whole run and records its process."""

from __future__ import annotations

import os

import dagster as dg

from pipelines.defs.resources import WarehouseResource, resources_for
from pipelines.runtime.home_lock import holds_lock, read_holder
from pipelines.runtime.recovery import PID_TAG


def test_a_run_using_the_warehouse_holds_the_lock_and_records_its_process(tmp_path):
    home = tmp_path / "home"

    @dg.asset
    def probe(warehouse: WarehouseResource) -> dict:
        holder = read_holder(home)
        return {"held": holds_lock(home), "pid": holder.pid, "command": holder.command, "run": holder.run_id}

    instance = dg.DagsterInstance.ephemeral()
    resources = {"warehouse": resources_for(home, tmp_path / "landing")["warehouse"]}
    result = dg.materialize([probe], resources=resources, instance=instance)
    seen = result.output_for_node("probe")
    assert seen["held"] and seen["pid"] == os.getpid() and seen["run"] == result.run_id
    assert instance.get_run_by_id(result.run_id).tags[PID_TAG] == str(os.getpid())
    assert not holds_lock(home)  # released when the run ends
