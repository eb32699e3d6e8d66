"""storylens: how different outlets tell the same news story.

``storylens.resolve(text)`` and ``storylens.compare(articles)`` are the Python API
(``storylens.api``); ``storylens.pipeline()`` gives a spaCy pipeline with the
``storylens_coref`` and ``storylens_quotes`` components.
"""

from storylens.api import compare, pipeline, resolve

__version__ = "0.1.0"

__all__ = ["__version__", "compare", "pipeline", "resolve"]
