"""The Ray executor: the same stages as the local executor, on a Ray cluster.

Each worker is a Ray actor that sets the stages up once (models loaded once per
actor) and runs chunks of items through them. The driver keeps reading, the
deduplication and the store, exactly as with the local executor, so a rerun
after the driver is killed resumes from the store. A chunk whose actor dies
(a killed process, a lost node) is run again on a fresh actor, up to
``retries`` times; after that its items are recorded as failed in stage
``engine``, never dropped. Without an address a local Ray instance is started
and stopped with the executor.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from storylens.engine.executors import one_by_one
from storylens.engine.local import chunks
from storylens.engine.stages import Stage, StageStats, Work, run_stages
from storylens.errors import StorylensError

# A local instance needs little shared memory: batches are small and short-lived.
LOCAL_OBJECT_STORE_BYTES = 256 * 1024 * 1024


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise StorylensError("--engine ray needs Ray: pip install 'storylens[ray]'") from None
    return ray


# Ray itself retries an unreachable address for minutes; a plain connect says so in seconds.
REACH_TIMEOUT_S = 5.0


def check_reachable(address: str) -> None:
    """Raise a clear error when nothing listens at a ``HOST:PORT`` or
    ``ray://HOST:PORT`` address (``auto`` and other forms are left to Ray)."""
    import socket

    hostport = address.removeprefix("ray://")
    host, sep, port = hostport.rpartition(":")
    if not sep or not port.isdigit() or not host:
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=REACH_TIMEOUT_S).close()
    except OSError as err:
        raise StorylensError(
            f"cannot reach Ray at {address} ({err.strerror or err}); is `ray start --head` running there, "
            "and is the port open?"
        ) from None


def start_ray(ray: Any, address: str | None, workers: int) -> bool:
    """Join the cluster at ``address``, or start a local instance; True when this
    call started Ray (and the caller should shut it down)."""
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": "ERROR"}
    if address:
        check_reachable(address)
        kwargs["address"] = address
    else:
        # One CPU beyond the stage actors for reading tasks: with every CPU held
        # by an actor, Ray Data's reading would wait for ever.
        kwargs.update(num_cpus=max(workers + 1, os.cpu_count() or 1), object_store_memory=LOCAL_OBJECT_STORE_BYTES)
    try:
        ray.init(**kwargs)
    except Exception as err:  # a bad address or a cluster that will not start
        raise StorylensError(f"cannot start or reach Ray ({type(err).__name__}: {err})") from None
    return True


class StageActor:
    """Lives in a Ray worker process: stages set up once, then chunk after chunk."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)  # actors are the parallelism
        self.stages = list(stages)
        for stage in self.stages:
            stage.setup()

    def run(self, items: list[Work]) -> tuple[list[Work], StageStats]:
        return run_stages(self.stages, items)

    def pid(self) -> int:
        return os.getpid()


class RayExecutor:
    name = "ray"

    def __init__(
        self, stages: Sequence[Stage], workers: int = 1, address: str | None = None, retries: int = 3, chunk: int = 8
    ) -> None:
        self.stages, self.workers, self.address = list(stages), max(1, workers), address
        self.retries, self.chunk = retries, chunk
        self._started = False
        self._actors: list[Any] = []
        self._remote: Any = None
        self.restarts = 0

    def __enter__(self) -> RayExecutor:
        ray = import_ray()
        self._started = start_ray(ray, self.address, self.workers)
        self._remote = ray.remote(num_cpus=1)(StageActor)
        self._actors = [self._remote.remote(self.stages) for _ in range(self.workers)]
        return self

    def __exit__(self, *exc: object) -> None:
        import ray

        for actor in self._actors:
            ray.kill(actor)
        self._actors = []
        if self._started:
            ray.shutdown()
            self._started = False

    def actor_pids(self) -> list[int]:
        """The worker processes' ids (tests kill one to check nothing is lost)."""
        import ray

        return ray.get([a.pid.remote() for a in self._actors])

    def stream(self, batches: Iterable[Sequence[Work]]) -> Iterator[tuple[list[Work], StageStats]]:
        return one_by_one(self, batches)

    def run(self, items: Sequence[Work]) -> tuple[list[Work], StageStats]:
        import ray
        from ray.exceptions import RayActorError

        if not items:
            return [], StageStats()
        parts = chunks(items, self.workers, self.chunk)
        results: list[tuple[list[Work], StageStats] | None] = [None] * len(parts)
        queue = list(range(len(parts)))
        attempts = [0] * len(parts)
        free = list(range(len(self._actors)))
        running: dict[Any, tuple[int, int]] = {}  # ref -> (part, actor slot)
        while queue or running:
            while queue and free:
                part, slot = queue.pop(0), free.pop()
                running[self._actors[slot].run.remote(parts[part])] = (part, slot)
            ready, _ = ray.wait(list(running), num_returns=1)
            part, slot = running.pop(ready[0])
            try:
                results[part] = ray.get(ready[0])
            except RayActorError as err:
                # The actor died with the chunk: a fresh one takes its place and the chunk runs again.
                self.restarts += 1
                ray.kill(self._actors[slot])
                self._actors[slot] = self._remote.remote(self.stages)
                attempts[part] += 1
                if attempts[part] <= self.retries:
                    queue.insert(0, part)
                else:
                    results[part] = (_failed(parts[part], err), StageStats())
            free.append(slot)
        out: list[Work] = []
        stats = StageStats()
        for done, s in results:  # type: ignore[misc]
            out += done
            stats.add(s)
        return out, stats


def _failed(items: list[Work], err: Exception) -> list[Work]:
    for w in items:
        w.error, w.stage = f"{w.source}: its worker died on every try: {type(err).__name__}", "engine"
    return items
