"""Resolve many articles on one machine: in this process, or in worker processes
that each load the pipeline once. One bad article never sinks a batch: each
failure becomes an ``Outcome`` with an error, and the rest go on.
"""

from __future__ import annotations

import ctypes
import math
import signal
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from threadpoolctl import threadpool_limits

from storylens.coref.backend import backend_named
from storylens.coref.resolver import Resolver
from storylens.model import Article, Resolution

# A worker takes about 3 s to start (imports and pipeline, in a fresh process on
# this machine) and an article about 0.2 s: below this many articles a worker
# costs more than it saves.
MIN_ARTICLES_PER_WORKER = 24


@dataclass(slots=True)
class Outcome:
    source: str
    article_id: str | None = None
    resolution: Resolution | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when its parent dies (even by kill -9)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_WORKER_RESOLVER: Resolver | None = None


def _init_worker(backend: str) -> None:
    """Runs once per worker: loads the pipeline before the first batch arrives."""
    global _WORKER_RESOLVER
    _die_with_parent()
    # One BLAS thread per worker: workers are the parallelism, and two workers each
    # running two BLAS threads on two cores only fight over them.
    threadpool_limits(1)
    _WORKER_RESOLVER = Resolver(backend=backend_named(backend))


def _resolve_chunk(articles: list[Article], batch_size: int) -> list[Outcome]:
    assert _WORKER_RESOLVER is not None, "worker not initialised"
    return list(_outcomes(_WORKER_RESOLVER, articles, batch_size))


def _outcomes(resolver: Resolver, articles: Sequence[Article], batch_size: int) -> Iterator[Outcome]:
    for parsed in resolver.parse(articles, batch_size):
        a = parsed.article
        yield Outcome(a.source_path or a.id, a.id, parsed.resolution, parsed.error, list(a.warnings))


def plan_workers(requested: int, n_articles: int) -> int:
    """The workers worth starting for ``n_articles``: at most ``requested``."""
    return max(1, min(requested, n_articles // MIN_ARTICLES_PER_WORKER))


def resolve_articles(
    articles: Sequence[Article],
    workers: int = 1,
    batch_size: int = 16,
    resolver: Resolver | None = None,
    backend: str = "sieve",
) -> Iterator[Outcome]:
    """Outcomes in input order. Work is cut into chunks several times smaller than
    an even share, so a worker that drew long articles does not hold up the end."""
    if not articles:
        return
    if workers <= 1:
        yield from _outcomes(resolver or Resolver(backend=backend_named(backend)), articles, batch_size)
        return
    size = max(1, min(batch_size, math.ceil(len(articles) / (workers * 4))))
    chunks = [list(articles[i : i + size]) for i in range(0, len(articles), size)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(backend,)) as pool:
        for batch in pool.map(_resolve_chunk, chunks, [batch_size] * len(chunks)):
            yield from batch
