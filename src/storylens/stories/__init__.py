"""Placeholder package; see docs/architecture.md for what lands here."""
