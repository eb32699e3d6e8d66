"""Quote settings, overridable from Python: ``QuoteSettings(partial_max_words=6)``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QuoteSettings:
    # A quote inside the writer's own sentence of at most this many words is partial
    # (`called the meetings "hysteria"`), not a stand-alone statement.
    partial_max_words: int = 8
    # A quote with no speaker of its own keeps the previous quote's speaker when at most
    # this much text, and this many paragraph breaks, lie between them.
    carry_max_chars: int = 400
    carry_max_paragraph_breaks: int = 1
    # Reported speech needs a content of at least this many words (`denied it` is no statement).
    reported_min_words: int = 2
    # Content this much inside quotation marks is a direct quote, found by its marks.
    reported_max_quoted: float = 0.6


DEFAULT = QuoteSettings()
