"""Resources: where the deployment lives (EnvVar-backed) and the DuckDB warehouse."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import PrivateAttr

from pipelines.defs.io import PartitionPickleIOManager
from pipelines.paths import HomeLayout
from pipelines.settings import is_set


class LandscapeSettings(dg.ConfigurableResource):
    """LANDSCAPE_HOME (everything the pipeline writes) and LANDSCAPE_LANDING (the states' landing tree)."""

    home: str
    landing: str
    states: str = ""  # comma-separated USPS codes for a single-state deployment; empty = every state
    archive_only: bool = False  # `landscape rebuild`: versions and rosters from the archive, landing unread

    @property
    def layout(self) -> HomeLayout:
        return HomeLayout(home=Path(self.home).resolve(), landing=Path(self.landing).resolve())

    @property
    def state_filter(self) -> frozenset[str]:
        return frozenset(s.strip().upper() for s in self.states.split(",") if s.strip())


class WarehouseResource(dg.ConfigurableResource):
    """The writer's DuckDB file. Only assets in the `duckdb_writer` pool open it.

    A run that uses it holds the home's writer lock for the whole run (waiting, with a line in the run's
    log at least every few seconds, while another writer holds it), records its process in the run's tags
    and first recovers runs whose process is gone.
    """

    path: str
    # Within a run, one connection to the warehouse, opened (and its schema ensured) at the first use and closed
    # when the run ends; each asset works on a cursor of it, so opening the warehouse is not paid per asset.
    _run_connection: Any = PrivateAttr(default=None)
    _in_run: bool = PrivateAttr(default=False)

    @property
    def home(self) -> Path:
        return Path(self.path).resolve().parents[1]  # $LANDSCAPE_HOME/warehouse/landscape.duckdb

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["WarehouseResource"]:
        from pipelines.defs.partitions import WRITER_POOL
        from pipelines.runtime.home_lock import hold_home
        from pipelines.runtime.recovery import process_tags, recover_dead_runs

        run = context.run
        if run is None or context.instance is None:  # outside a run (direct use in tests)
            yield self
            return
        context.instance.add_run_tags(run.run_id, process_tags())
        log = context.log.info if context.log else print
        with hold_home(self.home, f"run of {run.job_name}", run.run_id, on_wait=log):
            for line in recover_dead_runs(context.instance, WRITER_POOL, exclude=run.run_id):
                log(line)
            self._in_run = True
            try:
                yield self
            finally:
                self._in_run = False
                if self._run_connection is not None:
                    self._run_connection.close()
                    self._run_connection = None

    @contextmanager
    def connect(self) -> Iterator:
        from pipelines.warehouse.connection import connect

        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        if self._in_run and self._run_connection is None:
            self._run_connection = connect(Path(self.path))
        con = self._run_connection.cursor() if self._in_run else connect(Path(self.path))
        try:
            yield con
        finally:
            con.close()


def resources_for(home: Path, landing: Path, states: str = "") -> dict:
    """Resources for an explicit deployment (tests, benchmarks): no environment involved."""
    return {
        "settings": LandscapeSettings(home=str(home), landing=str(landing), states=states),
        "warehouse": WarehouseResource(path=str(HomeLayout(home, landing).warehouse)),
        "io_manager": PartitionPickleIOManager(landscape_home=str(home)),
    }


def build_resources() -> dict:
    """Resources of the code location: each field an EnvVar where the variable is set, so the UI shows where
    it came from, else the documented default (pipelines/settings.py)."""
    layout = HomeLayout.from_env()
    home = _from_env("LANDSCAPE_HOME", str(layout.home))
    return {
        "settings": LandscapeSettings(
            home=home,
            landing=_from_env("LANDSCAPE_LANDING", str(layout.landing)),
            states=_from_env("LANDSCAPE_STATES", ""),
        ),
        "warehouse": WarehouseResource(path=str(layout.warehouse)),
        "io_manager": PartitionPickleIOManager(landscape_home=home),
    }


def _from_env(name: str, default: str) -> dg.EnvVar | str:
    return dg.EnvVar(name) if is_set(name) else default


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources=build_resources())
