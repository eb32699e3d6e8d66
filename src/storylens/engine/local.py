"""The local executor: stages run in this process, or in worker processes that
each set the stages up once (models loaded once per worker) and live as long
as the executor. Workers die with their parent, even on ``kill -9``.

``stream`` keeps the workers one batch ahead of the caller: while they work on
the next batch, the caller stores this one and reads the one after. Even with
one worker, a stream of more than one batch runs in a worker process so that
the caller's reading, near-duplicate checks and writes run beside the parse.
"""

from __future__ import annotations

import ctypes
import math
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain

from threadpoolctl import threadpool_limits

from storylens.coref.resolver import Resolver
from storylens.engine.stages import ResolveStage, Stage, StageStats, Work, run_stages
from storylens.model import Article, Resolution

# A worker takes about 3 s to start (imports and pipeline, in a fresh process on
# this machine) and an article about 0.2 s: below this many articles a worker
# costs more than it saves.
MIN_ARTICLES_PER_WORKER = 24
# Batches handed to the workers beyond the one the caller waits for.
AHEAD = 1


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when its parent dies (even by kill -9)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_WORKER_STAGES: Sequence[Stage] = ()


def _init_worker(stages: Sequence[Stage]) -> None:
    """Runs once per worker: sets the stages up before the first batch arrives."""
    global _WORKER_STAGES
    _die_with_parent()
    # One BLAS thread per worker: workers are the parallelism, and two workers each
    # running two BLAS threads on two cores only fight over them.
    threadpool_limits(1)
    for stage in stages:
        stage.setup()
    _WORKER_STAGES = stages


def _run_chunk(items: list[Work]) -> tuple[list[Work], StageStats]:
    return run_stages(_WORKER_STAGES, items)


def plan_workers(requested: int, n_articles: int) -> int:
    """The workers worth starting for ``n_articles``: at most ``requested``."""
    return max(1, min(requested, n_articles // MIN_ARTICLES_PER_WORKER))


def chunks(items: Sequence[Work], workers: int, most: int) -> list[list[Work]]:
    """Several chunks per worker, so one that drew long articles does not hold up the end."""
    size = max(1, min(most, math.ceil(len(items) / (workers * 4))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


class LocalExecutor:
    """``with LocalExecutor(stages, workers) as ex: items, stats = ex.run(batch)``."""

    name = "local"

    def __init__(self, stages: Sequence[Stage], workers: int = 1, chunk: int = 16) -> None:
        self.stages, self.workers, self.chunk = list(stages), workers, chunk
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalExecutor:
        if self.workers > 1:
            self._start_pool()
        return self

    def _start_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, initializer=_init_worker, initargs=(self.stages,)
            )
        return self._pool

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def run(self, items: Sequence[Work]) -> tuple[list[Work], StageStats]:
        """Every item through every stage; results in input order."""
        if not items:
            return [], StageStats()
        if self._pool is None:
            return run_stages(self.stages, items)
        out: list[Work] = []
        stats = StageStats()
        for done, s in self._pool.map(_run_chunk, chunks(items, self.workers, self.chunk)):
            out += done
            stats.add(s)
        return out, stats

    def stream(self, batches: Iterable[Sequence[Work]]) -> Iterator[tuple[list[Work], StageStats]]:
        """``run`` of each batch in order, the workers kept ``AHEAD`` batches ahead."""
        it = iter(batches)
        first = next(it, None)
        if first is None:
            return
        second = next(it, None)
        if second is None and self._pool is None:
            yield self.run(first)  # one batch: not worth a worker process
            return
        pool = self._start_pool()
        pending: deque[list[Future]] = deque()
        rest = it if second is None else chain([second], it)
        for batch in chain([first], rest):
            pending.append([pool.submit(_run_chunk, c) for c in chunks(batch, self.workers, self.chunk)])
            if len(pending) > AHEAD:
                yield _gathered(pending.popleft())
        while pending:
            yield _gathered(pending.popleft())


def _gathered(futures: list[Future]) -> tuple[list[Work], StageStats]:
    out: list[Work] = []
    stats = StageStats()
    for f in futures:
        done, s = f.result()
        out += done
        stats.add(s)
    return out, stats


@dataclass(slots=True)
class Outcome:
    source: str
    article_id: str | None = None
    resolution: Resolution | None = None
    error: str | None = None


def resolve_articles(
    articles: Sequence[Article],
    workers: int = 1,
    batch_size: int = 16,
    resolver: Resolver | None = None,
    backend: str = "sieve",
) -> Iterator[Outcome]:
    """Resolve ``articles`` (for `storylens resolve`): outcomes in input order."""
    stage = ResolveStage(backend, batch_size, resolver if workers <= 1 else None)
    work = [Work(a.id, a.source_path or a.id, a) for a in articles]
    with LocalExecutor([stage], workers, chunk=batch_size) as ex:
        step = max(1, batch_size * max(1, workers) * 4)
        for start in range(0, len(work), step):
            done, _ = ex.run(work[start : start + step])
            for w in done:
                yield Outcome(w.source, w.key, w.resolution, w.error or None)
