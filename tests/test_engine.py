"""The local executor's stream: results in input order, the workers a batch ahead."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

from storylens.engine.local import LocalExecutor
from storylens.engine.stages import Stage, Work


class MarkProcess(Stage):
    """Records where each item ran and fails the ones whose key says so."""

    name = "mark"

    def run(self, items: Sequence[Work]) -> Iterator[Work]:
        for w in items:
            w.text_hash = str(os.getpid())
            if w.key.startswith("bad"):
                w.error, w.stage = f"{w.source}: bad input", self.name
            yield w


def _batches(n: int, size: int) -> list[list[Work]]:
    return [[Work(f"{'bad' if i == 3 else 'k'}{b}-{i}", f"src{b}-{i}") for i in range(size)] for b in range(n)]


def test_a_stream_of_batches_runs_beside_the_caller_and_keeps_order() -> None:
    batches = _batches(4, 5)
    with LocalExecutor([MarkProcess()], workers=1, chunk=2) as ex:
        out = list(ex.stream(iter(batches)))
    assert [[w.key for w in done] for done, _ in out] == [[w.key for w in b] for b in batches]
    pids = {w.text_hash for done, _ in out for w in done}
    assert str(os.getpid()) not in pids, "several batches should run in a worker process"
    assert sum(s.seen["mark"] for _, s in out) == 20
    assert sum(s.failed["mark"] for _, s in out) == 4
    assert all(w.failed == w.key.startswith("bad") for done, _ in out for w in done)


def test_a_single_batch_runs_in_this_process() -> None:
    (batch,) = _batches(1, 3)
    with LocalExecutor([MarkProcess()], workers=1) as ex:
        ((done, stats),) = list(ex.stream([batch]))
    assert [w.text_hash for w in done] == [str(os.getpid())] * 3
    assert stats.seen["mark"] == 3
