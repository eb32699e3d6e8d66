"""Run a stage over many articles: in this process, in worker processes, or on Ray."""

from storylens.engine.local import Outcome, load_many, resolve_paths

__all__ = ["Outcome", "load_many", "resolve_paths"]
