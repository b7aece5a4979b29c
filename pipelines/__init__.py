"""Peer-support program landscape pipeline (Dagster code location)."""
