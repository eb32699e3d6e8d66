"""HTML to article text, through trafilatura (we do not parse HTML ourselves)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import trafilatura

from storylens.errors import InputError

MIN_WORDS = 10


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None
    url: str | None
    published: str | None


# Precision mode drops whole articles on some layouts (a page in tables, a page
# where only a usage notice survives): below this share of the plain
# extraction's words, the plain extraction is taken instead.
PRECISION_MIN_SHARE = 0.5


def _extract(html: str, favor_precision: bool) -> Any:
    return trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=True,
        favor_precision=favor_precision,
        with_metadata=True,
    )


def _words(doc: Any) -> int:
    text = getattr(doc, "text", None) if doc is not None else None
    return len(text.split()) if text else 0


def extract_html(html: str, name: str) -> Extracted:
    doc = _extract(html, favor_precision=True)
    plain = _extract(html, favor_precision=False)
    if _words(doc) < PRECISION_MIN_SHARE * _words(plain):
        doc = plain
    text = getattr(doc, "text", None) if doc is not None else None
    # A menu or a cookie notice is not an article.
    if not text or len(text.split()) < MIN_WORDS:
        raise InputError(f"{name}: no article text found in the HTML")
    # trafilatura ends each block with one newline; storylens marks paragraphs with a blank line.
    text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    return Extracted(
        text=text,
        title=getattr(doc, "title", None),
        url=getattr(doc, "url", None),
        published=getattr(doc, "date", None),
    )
