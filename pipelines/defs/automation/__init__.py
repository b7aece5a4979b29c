"""Dagster definitions of the automation group."""
