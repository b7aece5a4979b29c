"""Resources: where the deployment lives (EnvVar-backed) and the DuckDB warehouse."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from pipelines.defs.io import PartitionPickleIOManager
from pipelines.paths import PROJECT_ROOT, HomeLayout


def default_environment() -> None:
    """Fill LANDSCAPE_HOME / LANDSCAPE_LANDING with the documented defaults when they are unset."""
    home = os.environ.setdefault("LANDSCAPE_HOME", str(PROJECT_ROOT / "data"))
    os.environ.setdefault("LANDSCAPE_LANDING", str(Path(home) / "landing"))


class LandscapeSettings(dg.ConfigurableResource):
    """LANDSCAPE_HOME (everything the pipeline writes) and LANDSCAPE_LANDING (the states' landing tree)."""

    home: str
    landing: str
    states: str = ""  # comma-separated USPS codes for a single-state deployment; empty = every state

    @property
    def layout(self) -> HomeLayout:
        return HomeLayout(home=Path(self.home).resolve(), landing=Path(self.landing).resolve())

    @property
    def state_filter(self) -> frozenset[str]:
        return frozenset(s.strip().upper() for s in self.states.split(",") if s.strip())


class WarehouseResource(dg.ConfigurableResource):
    """The writer's DuckDB file. Only assets in the `duckdb_writer` pool open it."""

    path: str

    @contextmanager
    def connect(self) -> Iterator:
        from pipelines.warehouse.connection import connect

        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        con = connect(Path(self.path))
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
    """Resources of the code location, read from LANDSCAPE_HOME / LANDSCAPE_LANDING / LANDSCAPE_STATES."""
    default_environment()
    home = Path(dg.EnvVar("LANDSCAPE_HOME").get_value())
    return {
        "settings": LandscapeSettings(
            home=dg.EnvVar("LANDSCAPE_HOME"),
            landing=dg.EnvVar("LANDSCAPE_LANDING"),
            states=os.environ.get("LANDSCAPE_STATES", ""),
        ),
        "warehouse": WarehouseResource(path=str(HomeLayout(home, home).warehouse)),
        "io_manager": PartitionPickleIOManager(landscape_home=dg.EnvVar("LANDSCAPE_HOME")),
    }


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources=build_resources())
