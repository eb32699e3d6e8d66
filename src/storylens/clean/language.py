"""Which language an article is in: cleaning keeps every language, and the
stages that need English (coreference, quotes, claims) ask here to skip others."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storylens.model import Article

# Shorter texts give unreliable language guesses; they are taken as English.
MIN_CHARS = 80
ENGLISH = "en"


def detect_language(text: str) -> tuple[str, float]:
    # Imported here: py3langid decompresses its model on import (~0.4 s), which
    # commands that never look at a language should not pay.
    import py3langid

    lang, prob = py3langid.classify(text[:5000])
    return lang, float(prob)


def language_of(text: str) -> str:
    if len(text) < MIN_CHARS:
        return ENGLISH
    return detect_language(text)[0]


def not_english(article: Article) -> str | None:
    """Why the English-only stages must skip this article, or None when they need not."""
    lang = article.language or ENGLISH
    if lang == ENGLISH:
        return None
    return f"not English: language '{lang}' (coreference, quotes and claims need English)"
