"""Choose an executor by name: the stages and the ingest loop never know which runs them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from storylens.engine.stages import Stage, StageStats, Work
from storylens.errors import StorylensError

ENGINES = ("local", "ray")


class Executor(Protocol):
    name: str

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...

    def run(self, items: Sequence[Work]) -> tuple[list[Work], StageStats]:
        """Every item through every stage, in input order, with each stage's counts and time."""
        ...

    def stream(self, batches: Iterable[Sequence[Work]]) -> Iterator[tuple[list[Work], StageStats]]:
        """``run`` of each batch, in order; an executor may start the next batch
        before handing this one back, so the caller's work overlaps its own."""
        ...


def one_by_one(executor: Executor, batches: Iterable[Sequence[Work]]) -> Iterator[tuple[list[Work], StageStats]]:
    """``stream`` for an executor that runs one batch at a time."""
    for batch in batches:
        yield executor.run(batch)


def make_executor(engine: str, stages: Sequence[Stage], workers: int = 1, address: str | None = None) -> Executor:
    if engine == "local":
        if address:
            raise StorylensError("--address is for --engine ray")
        from storylens.engine.local import LocalExecutor

        return LocalExecutor(stages, workers)
    if engine == "ray":
        from storylens.engine.ray_engine import RayExecutor

        return RayExecutor(stages, workers, address)
    raise StorylensError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
