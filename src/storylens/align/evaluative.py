"""Evaluative words: how strongly a word judges, from the VADER lexicon.

VADER (Hutto and Gilbert 2014, the `vadersentiment` package) ships about 7,500
English words and forms, each rated by ten people from -4 to +4 for how negative
or positive it sounds; news writers' loaded words are in it (`hysteria` -1.9,
`outraged` -2.5, `evil` -3.4). Only its word list is read, as data: its
sentence scorer (negation and booster rules for social-media text) is not used.
"""

from __future__ import annotations

import functools
from importlib.resources import files

from storylens.errors import ModelMissingError


@functools.cache
def valences() -> dict[str, float]:
    """Word -> mean rated valence, lower-case."""
    try:
        text = (files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    except ModuleNotFoundError as e:
        raise ModelMissingError("the VADER lexicon (vadersentiment) is not installed; run `make install`") from e
    out: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            out[parts[0].lower()] = float(parts[1])
    return out


def valence(word: str, lemma: str = "") -> float:
    """The rated valence of the word or, failing that, its lemma (0 when unrated)."""
    table = valences()
    return table.get(word.lower(), table.get(lemma.lower(), 0.0))
