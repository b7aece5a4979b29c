"""Dagster definitions of the validate group."""
