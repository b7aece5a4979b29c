"""Dagster definitions of the feedback group."""
