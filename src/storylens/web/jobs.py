"""Comparisons run in the background, one at a time, while pages keep being served.

A job is a list of articles in and a comparison out; its progress (which article
was parsed and resolved, then the alignment) is readable at any moment. Results
stay in memory, the oldest dropped past ``keep``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from storylens.align.compare import Comparer, Comparison
from storylens.model import Article
from storylens.report.jsonout import comparison_json
from storylens.web.views import article_details


@dataclass(slots=True)
class Job:
    id: str
    title: str
    articles: list[Article]
    problems: list[str]
    status: str = "queued"  # queued | running | done | failed
    steps: list[str] = field(default_factory=list)
    step_times: list[float] = field(default_factory=list)  # seconds since the run began, one per step
    error: str | None = None
    comparison: Comparison | None = None
    result: dict[str, Any] | None = None
    started: float = field(default_factory=time.time)
    made_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    seconds: float = 0.0
    parses: dict[str, bytes] = field(default_factory=dict, repr=False)  # a store's, by article id
    # Per article: text, edits and cleaning record, for the article page (see views.article_details).
    details: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def resolved(self) -> int:
        """Articles parsed and resolved so far."""
        return sum(s.startswith("resolved") for s in self.steps)

    def log(self, step: str) -> None:
        self.steps.append(step)
        self.step_times.append(time.time() - self.started)

    def stage(self) -> str:
        """What the comparison is doing now, in the order the comparer works."""
        if self.status == "queued":
            return "waiting for the comparison before it to finish"
        if self.status != "running":
            return self.status
        last = self.steps[-1] if self.steps else ""
        n = len(self.articles)
        if last == "aligned":
            return "writing the summary and saving it"
        if self.resolved >= n:
            return "embedding the facts and aligning them across outlets"
        if last == "loading models":
            return "loading the language models (first comparison only)"
        return f"parsing article {self.resolved + 1} of {n} and resolving its pronouns"

    def elapsed(self) -> float:
        return self.seconds if self.status in ("done", "failed") else time.time() - self.started

    def progress(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "articles": len(self.articles) or len((self.result or {}).get("articles", [])),
            "steps": list(self.steps),
            "stage": self.stage(),
            "elapsed": round(self.elapsed(), 1),
            "error": self.error,
            "seconds": round(self.seconds, 2),
        }


class Jobs:
    """Runs comparisons on one worker thread. The parse and the models release
    the GIL for much of their work, so the server answers other requests."""

    def __init__(
        self, comparer: Callable[[], Comparer], keep: int = 50, on_done: Callable[[Job], None] | None = None
    ) -> None:
        self._comparer_factory = comparer
        self._on_done = on_done
        self._comparer: Comparer | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storylens-compare")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self.keep = keep

    def submit(
        self,
        articles: list[Article],
        problems: list[str],
        title: str | None = None,
        parses: dict[str, bytes] | None = None,
    ) -> Job:
        job = Job(
            id=uuid.uuid4().hex[:12],
            title=title or next((a.title for a in articles if a.title), None) or "comparison",
            articles=articles,
            problems=problems,
            parses=parses or {},
        )
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.keep:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job)
        return job

    def forget(self, job_id: str) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def all(self) -> list[Job]:
        with self._lock:
            return list(reversed(self._jobs.values()))

    def _run(self, job: Job) -> None:
        job.status = "running"
        job.started = time.time()
        t = time.perf_counter()
        try:
            if self._comparer is None:
                job.log("loading models")
                self._comparer = self._comparer_factory()

            def step(stage: str, article: Article | None) -> None:
                job.log(f"{stage}: {article.outlet or article.id}" if article else stage)

            job.comparison = self._comparer.compare(job.articles, job.problems, on_step=step, parses=job.parses)
            job.parses = {}  # only needed once
            job.result = comparison_json(job.comparison)
            job.details = {aid: article_details(res) for aid, res in job.comparison.resolutions.items()}
            job.seconds = time.perf_counter() - t
            if self._on_done is not None:
                job.log("saving")
                self._on_done(job)
            job.status = "done"
        except Exception as err:  # a failed comparison is reported on its page
            job.error = f"{type(err).__name__}: {err}"
            job.status = "failed"
        finally:
            job.seconds = job.seconds or time.perf_counter() - t

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
