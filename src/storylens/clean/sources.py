"""Turn command-line inputs (files, folders, JSON Lines) into clean articles."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from storylens.clean import clean_article, load_article
from storylens.clean.html import extract_html
from storylens.errors import InputError, StorylensError
from storylens.model import Article

ARTICLE_SUFFIXES = {".txt", ".html", ".htm", ".xhtml"}


@dataclass(slots=True)
class Collected:
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _from_record(record: dict, where: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(f"{where}: not a JSON object")
    article_id = str(record.get("id") or where)
    text, html = record.get("text"), record.get("html")
    title, url, published = record.get("title"), record.get("url"), record.get("published")
    if html and not text:
        extracted = extract_html(str(html), where)
        text = extracted.text
        title, url, published = title or extracted.title, url or extracted.url, published or extracted.published
    if not text or not str(text).strip():
        raise InputError(f"{where}: no 'text' or 'html'")
    article = Article(
        id=article_id,
        raw=str(text),
        title=title,
        outlet=record.get("outlet"),
        url=url,
        published=None if published is None else str(published),
        source_path=where,
    )
    return clean_article(article, where)


def _jsonl(path: Path, out: Collected) -> None:
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            out.articles.append(_from_record(json.loads(line), where))
        except json.JSONDecodeError as e:
            out.problems.append(f"{where}: invalid JSON ({e.msg})")
        except StorylensError as e:
            out.problems.append(str(e))


def collect(inputs: Iterable[str | Path], outlets: dict[str, str] | None = None) -> Collected:
    """Load every article named by ``inputs``; problems are collected, never raised.

    The outlet comes from the JSONL record, else ``outlets`` (keyed by article id
    or file name), else the file name.
    """
    outlets = outlets or {}
    out = Collected()
    paths: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            paths.extend(sorted(q for q in p.iterdir() if q.suffix.lower() in ARTICLE_SUFFIXES | {".jsonl"}))
        else:
            paths.append(p)
    for p in paths:
        if p.suffix.lower() == ".jsonl" and p.exists():
            _jsonl(p, out)
            continue
        try:
            out.articles.append(load_article(p))
        except StorylensError as e:
            out.problems.append(str(e))
    seen: dict[str, str] = {}
    unique = []
    for a in out.articles:
        a.outlet = outlets.get(a.id) or outlets.get(Path(a.source_path or "").name) or a.outlet or a.id
        key = " ".join(a.text.split())
        if key in seen:
            out.problems.append(f"{a.source_path or a.id}: same text as {seen[key]}; compared once")
            continue
        seen[key] = a.source_path or a.id
        unique.append(a)
    out.articles = unique
    return out
