"""Render a resolved text as edits on the cleaned text.

Only mention spans change: a pronoun or a short description whose cluster has a
name becomes that name (`his` -> `Putin's`); inside a direct quote the words stay
and the name is added in brackets (`he [Sergey Kislyak]`). Names are left alone.
"""

from __future__ import annotations

import re

from storylens.coref.lexicon import DETERMINERS_DEFINITE, PRONOUNS
from storylens.coref.settings import DEFAULT, CorefSettings
from storylens.model import Cluster, Edit, Mention
from storylens.quotes.regions import QuoteIndex

_SENTENCE_START = re.compile(r"(?:^|[.!?…][”’\"')\]]*\s+|\n\s*|[“\"‘(\[]\s*)$")


def _apostrophe(text: str) -> str:
    return "’" if text.count("’") > text.count("'") else "'"


def _possessive_pronoun(m: Mention, tag: str | None) -> bool:
    word = m.text.lower()
    info = PRONOUNS.get(word)
    if info is None:
        return False
    if word == "her":
        return tag == "PRP$"
    return info.possessive


def _renderable_pronoun(m: Mention, in_quote: bool) -> bool:
    info = PRONOUNS.get(m.text.lower())
    if info is None or info.reflexive:
        return False
    if info.person == 3:
        return info.number == "sg" and info.gender in ("m", "f")
    return info.person == 1 and info.number == "sg" and in_quote


def _short_description(m: Mention, names: list[Mention], text: str, max_words: int) -> bool:
    words = m.text.split()
    if not words or len(words) > max_words or words[0].lower() not in DETERMINERS_DEFINITE:
        return False
    # A description standing next to the name (`the other candidate, Donald Trump`) stays.
    for n in names:
        gap = text[m.end : n.start] if n.start >= m.end else text[n.end : m.start]
        if len(gap) <= 3 and not gap.strip(" ,—-–"):
            return False
    return True


def render_edits(
    text: str,
    clusters: list[Cluster],
    quotes: QuoteIndex,
    tags: dict[int, str] | None = None,
    settings: CorefSettings = DEFAULT,
) -> list[Edit]:
    """Edits that resolve ``clusters`` in ``text``; ``tags`` maps a pronoun's start to its PTB tag."""
    tags = tags or {}
    apos = _apostrophe(text)
    edits: list[Edit] = []
    for cluster in clusters:
        name = cluster.canonical
        if not name:
            continue
        names = [m for m in cluster.mentions if m.kind == "name"]
        for m in cluster.mentions:
            in_quote = quotes.region_of(m.start) != -1
            if m.kind == "pronoun":
                if not _renderable_pronoun(m, in_quote):
                    continue
                possessive = _possessive_pronoun(m, tags.get(m.start))
            elif m.kind == "nominal":
                if not _short_description(m, names, text, settings.max_rendered_description_words) or m.text == name:
                    continue
                possessive = False
            else:
                continue
            label = f"{name}{apos}s" if possessive else name
            if in_quote:
                replacement = f"{m.text} [{label}]"
            else:
                replacement = label
                if _SENTENCE_START.search(text[max(0, m.start - 4) : m.start]) and replacement[:1].islower():
                    replacement = replacement[:1].upper() + replacement[1:]
            edits.append(Edit(m.start, m.end, m.text, replacement, "coref"))
    edits.sort(key=lambda e: e.start)
    # Nested mentions could both qualify; keep the outer, earlier one.
    kept: list[Edit] = []
    for e in edits:
        if kept and e.start < kept[-1].end:
            continue
        kept.append(e)
    return kept
