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
from dataclasses import dataclass

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
        yield Outcome(a.source_path or a.id, a.id, parsed.resolution, parsed.error)


def plan_workers(requested: int, n_articles: int) -> int:
    """The workers worth starting for ``n_articles``: at most ``requested``."""
    return max(1, min(requested, n_articles // MIN_ARTICLES_PER_WORKER))


class LocalEngine:
    """Resolves batches of articles in this process or in a pool of worker
    processes that lives as long as the engine (``with LocalEngine(...) as e``),
    so each worker loads the pipeline once however many batches come."""

    def __init__(
        self, workers: int = 1, batch_size: int = 16, resolver: Resolver | None = None, backend: str = "sieve"
    ) -> None:
        self.workers, self.batch_size, self.backend = workers, batch_size, backend
        self._resolver = resolver
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        if self.workers > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, initializer=_init_worker, initargs=(self.backend,)
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def resolve(self, articles: Sequence[Article]) -> Iterator[Outcome]:
        """Outcomes in input order. Work is cut into chunks several times smaller
        than an even share, so a worker that drew long articles does not hold up the end."""
        if not articles:
            return
        if self._pool is None:
            if self._resolver is None:
                self._resolver = Resolver(backend=backend_named(self.backend))
            yield from _outcomes(self._resolver, articles, self.batch_size)
            return
        size = max(1, min(self.batch_size, math.ceil(len(articles) / (self.workers * 4))))
        chunks = [list(articles[i : i + size]) for i in range(0, len(articles), size)]
        for batch in self._pool.map(_resolve_chunk, chunks, [self.batch_size] * len(chunks)):
            yield from batch


def resolve_articles(
    articles: Sequence[Article],
    workers: int = 1,
    batch_size: int = 16,
    resolver: Resolver | None = None,
    backend: str = "sieve",
) -> Iterator[Outcome]:
    """Resolve ``articles`` with a ``LocalEngine`` made for them."""
    with LocalEngine(workers, batch_size, resolver, backend) as engine:
        yield from engine.resolve(articles)
