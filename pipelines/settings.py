"""The deployment's settings: the one module that reads the LANDSCAPE_* environment variables.

Every variable, its default and its meaning are listed once here; the README's configuration table is
checked against this list. Nothing here writes the environment: an unset or empty variable reads as its
default (None where the default depends on another setting, such as the landing tree inside the home).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    default: str | None
    meaning: str


VARIABLES: dict[str, Variable] = {
    "LANDSCAPE_HOME": Variable(None, "everything the pipeline writes (default: the clone's data/ folder)"),
    "LANDSCAPE_LANDING": Variable(None, "the states' landing tree (default: $LANDSCAPE_HOME/landing)"),
    "LANDSCAPE_STATES": Variable("", "comma-separated USPS codes for a single-state deployment (empty: all)"),
    "LANDSCAPE_QUIET_SECONDS": Variable(
        None, "how long a package must be unchanged before the sensor takes it"
    ),
    "LANDSCAPE_NIGHTLY_CRON": Variable("0 2 * * *", "when the nightly safety-net ingest runs"),
    "LANDSCAPE_REPORT_CRON": Variable("0 6 * * *", "when marts, the analysts' copy and the reports refresh"),
    "LANDSCAPE_TIMEZONE": Variable("America/New_York", "time zone of the two schedules"),
    "LANDSCAPE_CHROMIUM": Variable("/usr/bin/chromium", "the Chromium that prints PDFs"),
    "LANDSCAPE_SMTP_HOST": Variable(None, "mail server for failure alerts (unset: alerts are files only)"),
    "LANDSCAPE_SMTP_PORT": Variable("25", "its port"),
    "LANDSCAPE_ALERT_FROM": Variable("landscape-pipeline@localhost", "sender of failure alerts"),
    "LANDSCAPE_ALERT_TO": Variable("", "comma-separated recipients of failure alerts"),
}


def is_set(name: str) -> bool:
    return bool(os.environ.get(_known(name), "").strip())


def setting(name: str) -> str | None:
    """The variable's value, or its default when it is unset or empty."""
    value = os.environ.get(_known(name), "").strip()
    return value or VARIABLES[name].default


def _known(name: str) -> str:
    if name not in VARIABLES:
        raise KeyError(f"{name} is not a documented setting; add it to pipelines/settings.py VARIABLES")
    return name
