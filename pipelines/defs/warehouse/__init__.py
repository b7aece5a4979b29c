"""Dagster definitions of the warehouse group."""
