"""The story browser's search and titles, in a reader's terms.

Search takes words in any order and their inflections ("Oscar host" finds the
story whose articles say "Oscars host" or "hosted the Oscars"): each word,
reduced to a crude stem, must appear somewhere in the story's article. Titles
come from the story's best headline: one several articles share, else the
earliest that is not blank and not a bare dateline, else the first words of
the text.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from storylens.store.db import Store

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_SUFFIXES = ("ings", "ing", "ies", "ied", "es", "ed", "s")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
# What a dateline is made of: once these are gone, nothing of a headline is left.
_DATE_PARTS = re.compile(
    rf"\b(?:(?:{_MONTHS})[a-z]*|[ap]\.?m\.?|utc|gmt|[ecmp][sd]t|updated|published|posted|at|on)\b|[\d\W_]",
    re.IGNORECASE,
)


def stem(word: str) -> str:
    """A word without its commonest English ending, never shorter than 3 letters."""
    w = word.lower()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def is_headline(title: str | None) -> bool:
    return bool(title and _DATE_PARTS.sub("", title).strip())


def best_title(articles: list[tuple[str | None, str]]) -> str:
    """The story's title from its articles' (title, opening text), oldest first."""
    titles = [t.strip() for t, _ in articles if is_headline(t)]
    if titles:
        shared, n = Counter(titles).most_common(1)[0]
        return shared if n > 1 else titles[0]
    opening = next((text.strip() for _, text in articles if text and text.strip()), "")
    first = opening.split("\n", 1)[0]
    return (first[:90].rsplit(" ", 1)[0] + " …") if len(first) > 90 else first or "untitled story"


def search(store: Store, q: str = "", entity: str = "", outlet: str = "", date: str = "") -> list[dict[str, Any]]:
    """Stories matching every word of ``q`` (any order, any inflection) and every other filter."""
    words = [stem(w) for w in _WORD.findall(q)]
    if not words:
        found = store.search_stories("", entity, outlet, date)
    else:
        per_word = [store.search_stories(w, entity, outlet, date, limit=100_000) for w in dict.fromkeys(words)]
        common = set.intersection(*({s["id"] for s in found} for found in per_word))
        found = [s for s in per_word[0] if s["id"] in common][:200]
    headlines = store.story_headlines(s["id"] for s in found)
    return [{**s, "title": best_title(headlines.get(s["id"], [(s["title"], "")]))} for s in found]


def title_of(store: Store, story_id: str) -> str:
    return best_title(store.story_headlines([story_id]).get(story_id, []))
