"""Stage 1: files in, clean articles out."""

from __future__ import annotations

from pathlib import Path

from storylens.clean.html import extract_html
from storylens.clean.language import require_english
from storylens.clean.load import MAX_BYTES, read_source
from storylens.clean.text import Cleaned, clean_text
from storylens.errors import InputError
from storylens.model import Article

__all__ = ["MAX_BYTES", "Cleaned", "clean_article", "clean_text", "load_article"]


def clean_article(article: Article, name: str | None = None) -> Article:
    """Fill ``article.text`` (and the title, when one heads the text) from ``article.raw``."""
    name = name or article.id
    cleaned = clean_text(article.raw)
    if not cleaned.text.strip():
        raise InputError(f"{name}: nothing left after removing page furniture")
    require_english(cleaned.text, name)
    article.text = cleaned.text
    article.cleaning = cleaned.edits
    if cleaned.title and not article.title:
        article.title = cleaned.title
    return article


def load_article(path: str | Path, article_id: str | None = None) -> Article:
    """Read, extract (HTML), clean and language-check one article file."""
    path = Path(path)
    source = read_source(path)
    title = url = published = None
    raw = source.text
    if source.is_html:
        extracted = extract_html(source.text, str(path))
        raw, title, url, published = extracted.text, extracted.title, extracted.url, extracted.published
    article = Article(
        id=article_id or path.stem,
        raw=raw,
        title=title,
        url=url,
        published=published,
        source_path=str(path),
        warnings=list(source.warnings),
    )
    return clean_article(article, str(path))
