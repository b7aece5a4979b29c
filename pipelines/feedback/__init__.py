"""Feedback for grantees: per package version findings.html and findings.csv."""

from pipelines.feedback.writer import write_feedback

__all__ = ["write_feedback"]
