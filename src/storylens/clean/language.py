"""Refuse text that is not English: the models and rules are English-only."""

from __future__ import annotations

import py3langid

from storylens.errors import LanguageError

# Shorter texts give unreliable language guesses; let them through.
MIN_CHARS = 80


def detect_language(text: str) -> tuple[str, float]:
    lang, prob = py3langid.classify(text[:5000])
    return lang, float(prob)


def require_english(text: str, name: str) -> None:
    if len(text) < MIN_CHARS:
        return
    lang, _ = detect_language(text)
    if lang != "en":
        raise LanguageError(f"{name}: text looks like language '{lang}'; only English is supported")
