"""Stage 1: files in, clean articles out."""

from __future__ import annotations

from pathlib import Path

from storylens.clean.html import extract_html
from storylens.clean.language import language_of
from storylens.clean.load import MAX_BYTES, display_name, read_source
from storylens.clean.structure import word_count
from storylens.clean.text import Cleaned, clean_text
from storylens.errors import InputError
from storylens.model import Article

__all__ = ["MAX_BYTES", "MAX_CHARS", "MIN_WORDS", "Cleaned", "clean_article", "clean_text", "load_article"]

# A news brief has a sentence or two; fewer words than this is not an article.
MIN_WORDS = 8
# The longest news features run to about 15,000 words (90,000 characters). Past
# this the text is a dump, not an article: the parser's memory grows with it
# (an 890 KB text took 3.2 GB) and spaCy refuses 1,000,000 characters outright.
MAX_CHARS = 100_000


def clean_article(article: Article, name: str | None = None) -> Article:
    """Fill ``article.text`` (and the title, when one heads the text) from ``article.raw``."""
    name = name or article.id
    cleaned = clean_text(article.raw)
    if word_count(cleaned.text) < MIN_WORDS:
        # Say why: too little text, or only page furniture.
        words = word_count(article.raw)
        if words < MIN_WORDS:
            raise InputError(f"{name}: too short to be an article ({words} words; at least {MIN_WORDS})")
        if not cleaned.text.strip():
            raise InputError(f"{name}: nothing left after removing page furniture")
        raise InputError(
            f"{name}: too short to be an article after removing page furniture "
            f"({word_count(cleaned.text)} words left; at least {MIN_WORDS})"
        )
    if len(cleaned.text) > MAX_CHARS:
        raise InputError(
            f"{name}: {len(cleaned.text):,} characters after cleaning is over the {MAX_CHARS:,}-character "
            "limit for one article (news articles are kilobytes); split it into articles"
        )
    article.text = cleaned.text
    article.language = language_of(cleaned.text)
    article.cleaning = cleaned.edits
    if cleaned.title and not article.title:
        article.title = cleaned.title
    return article


def load_article(path: str | Path, article_id: str | None = None) -> Article:
    """Read, extract (HTML), clean one article file and note its language."""
    path = Path(path)
    name = display_name(path)
    source = read_source(path)
    title = url = published = None
    raw = source.text
    if source.is_html:
        extracted = extract_html(source.text, name)
        raw, title, url, published = extracted.text, extracted.title, extracted.url, extracted.published
    article = Article(
        id=article_id or path.stem,
        raw=raw,
        title=title,
        url=url,
        published=published,
        source_path=name,
        warnings=list(source.warnings),
    )
    return clean_article(article, name)
