"""An IO manager that stores each partition's value on its own, so one run may carry many partitions."""

import os
import pickle
from pathlib import Path

import dagster as dg


class PartitionPickleIOManager(dg.ConfigurableIOManager):
    """Partitioned assets return {partition_key: value}; each value is pickled to its own file.

    Dagster's filesystem IO manager cannot persist a run that spans several partitions (a single-run
    backfill); this one can, and a one-partition run is simply the case of one key.
    """

    landscape_home: str  # values live under $LANDSCAPE_HOME/intermediate/<asset>/<period>/<state>

    def _path(self, asset_key: dg.AssetKey, partition_key: str) -> Path:
        return Path(self.landscape_home, "intermediate", *asset_key.path, *str(partition_key).split("|"))

    def handle_output(self, context: dg.OutputContext, obj: dict) -> None:
        for key in context.asset_partition_keys:
            path = self._path(context.asset_key, key)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".partial")
            partial.write_bytes(pickle.dumps(obj[key], protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(partial, path)

    def load_input(self, context: dg.InputContext) -> dict:
        return {
            key: pickle.loads(self._path(context.asset_key, key).read_bytes())
            for key in context.asset_partition_keys
        }
