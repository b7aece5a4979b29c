"""Dagster definitions of the reports group."""
