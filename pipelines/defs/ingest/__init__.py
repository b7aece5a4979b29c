"""Dagster definitions of the ingest group."""
