"""Batch resolve on one machine: one pipeline per process, ``nlp.pipe`` per batch.

One bad article never sinks a batch: each failure becomes an ``Outcome`` with
an error message and the rest go on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from storylens.clean import load_article
from storylens.coref import Resolver, backend_named
from storylens.errors import StorylensError
from storylens.model import Article, Resolution


@dataclass(slots=True)
class Outcome:
    source: str
    resolution: Resolution | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def load_many(paths: Sequence[str | Path]) -> tuple[list[Article], list[Outcome]]:
    """Load and clean every file; failures come back as outcomes, not exceptions."""
    articles: list[Article] = []
    failed: list[Outcome] = []
    seen: dict[str, str] = {}
    for p in paths:
        try:
            article = load_article(p)
        except StorylensError as err:
            failed.append(Outcome(str(p), error=str(err)))
            continue
        if article.text in seen:
            failed.append(Outcome(str(p), error=f"{p}: duplicate of {seen[article.text]}; skipped"))
            continue
        seen[article.text] = str(p)
        articles.append(article)
    return articles, failed


def _worker_resolver(backend: str) -> Resolver:
    global _WORKER_RESOLVER
    if _WORKER_RESOLVER is None:
        _WORKER_RESOLVER = Resolver(backend=backend_named(backend))
    return _WORKER_RESOLVER


def _resolve_batch(
    articles: list[Article], batch_size: int, resolver: Resolver | None = None, backend: str = "sieve"
) -> list[Outcome]:
    resolver = resolver or _worker_resolver(backend)
    out: list[Outcome] = []
    docs = resolver.nlp.pipe((a.text for a in articles), batch_size=batch_size)
    for article, doc in zip(articles, docs, strict=True):
        source = article.source_path or article.id
        try:
            out.append(Outcome(source, resolver.resolve_doc(article, doc), warnings=article.warnings))
        except Exception as err:
            out.append(Outcome(source, error=f"{source}: resolve failed: {type(err).__name__}: {err}"))
    return out


# A worker process builds its resolver on first use and keeps it, so the
# pipeline loads once per process, not once per batch.
_WORKER_RESOLVER: Resolver | None = None


def resolve_paths(
    paths: Sequence[str | Path],
    workers: int = 1,
    batch_size: int = 16,
    resolver: Resolver | None = None,
    backend: str = "sieve",
) -> Iterator[Outcome]:
    articles, failed = load_many(paths)
    yield from failed
    if not articles:
        return
    chunks = [articles[i : i + batch_size] for i in range(0, len(articles), batch_size)]
    if workers <= 1 or len(chunks) == 1:
        resolver = resolver or Resolver(backend=backend_named(backend))
        for chunk in chunks:
            yield from _resolve_batch(chunk, batch_size, resolver)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        n = len(chunks)
        for batch in pool.map(_resolve_batch, chunks, [batch_size] * n, [None] * n, [backend] * n):
            yield from batch
