"""A cluster's canonical name and entity type, derived one way for every backend."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from storylens.nlp.vocab import PERSON


@dataclass(frozen=True, slots=True)
class NameEvidence:
    """One name mention of a cluster: its length in name words, where it starts,
    whether it is tagged as a person, and its text with titles dropped (a string,
    or a function giving it, so only the chosen name is rendered)."""

    words: int
    start: int
    person: bool
    text: str | Callable[[], str]


def canonical_name(names: list[NameEvidence]) -> str | None:
    """The fullest name, people's names before other names, the earliest on a tie."""
    if not names:
        return None
    pool = [n for n in names if n.person] or names
    best = max(pool, key=lambda n: (n.words, -n.start))
    return best.text if isinstance(best.text, str) else best.text()


def cluster_type(labels: list[str], person: bool) -> str:
    """``PERSON`` when any mention is a person, else the commonest entity label (the
    first seen on a tie), else ``OTHER``."""
    if person:
        return PERSON
    counts = Counter(label for label in labels if label)
    return counts.most_common(1)[0][0] if counts else "OTHER"
