"""Stage 2: the spaCy pipeline, loaded once per process and passed explicitly."""

from storylens.nlp.pipeline import DEFAULT_MODEL, load_pipeline, parse_many

__all__ = ["DEFAULT_MODEL", "load_pipeline", "parse_many"]
