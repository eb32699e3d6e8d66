"""HTML to article text, through trafilatura (we do not parse HTML ourselves)."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from storylens.errors import InputError

MIN_WORDS = 10


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None
    url: str | None
    published: str | None


def extract_html(html: str, name: str) -> Extracted:
    doc = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
    )
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
