"""Per-article work as a sequence of stages over a stream of ``Work`` items.

A stage is set up once where it runs (a worker process, a Ray actor: models are
loaded there, not shipped) and then maps items to items: every item that goes
in comes out, a failed one carrying its stage and reason, so one bad article
never sinks the batch. Executors (``local.py``, ``ray_engine.py``) know nothing
of what the stages do; they only move batches of items to where stages run and
add up each stage's counts and time (``StageStats``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storylens.clean.language import not_english
from storylens.model import Article, Claim, Resolution

if TYPE_CHECKING:
    from storylens.coref.resolver import Resolver


@dataclass(slots=True)
class Work:
    """One input on its way through the stages."""

    key: str
    source: str
    article: Article | None = None
    resolution: Resolution | None = None
    error: str = ""
    stage: str = ""  # the stage that failed it (``load`` when it never loaded)
    # Why a stage passed over this article without failing it (another language).
    skipped: str = ""
    text_hash: str = ""  # of the cleaned text, for duplicate detection
    claims: list[Claim] = field(default_factory=list)
    # An earlier stored article this one nearly copies (wire copy, light edits).
    near_duplicate_of: str = ""
    signature: bytes = b""  # its MinHash, kept for later ingests
    parse: bytes = b""  # its spaCy parse (nlp/docs.py), so compare never parses it again

    @property
    def failed(self) -> bool:
        return bool(self.error)


@dataclass(slots=True)
class StageStats:
    """Per stage: items seen, items it failed (by reason) and seconds spent."""

    seen: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    reasons: Counter[tuple[str, str]] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)
    # Items a stage passed over and kept, by (stage, reason).
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, other: StageStats) -> None:
        self.seen.update(other.seen)
        self.failed.update(other.failed)
        self.reasons.update(other.reasons)
        self.seconds.update(other.seconds)
        self.skipped.update(other.skipped)

    def lines(self) -> list[str]:
        out = []
        for name in self.seen:
            line = f"{name}: {self.seen[name]} articles, {self.failed[name]} failed, {self.seconds[name]:.1f} s"
            parts = [f"{k.split('/', 1)[1]} {v:.1f} s" for k, v in self.seconds.items() if k.startswith(name + "/")]
            if parts:
                line += f" [{', '.join(parts)}]"
            why = [f"{n} {reason}" for (stage, reason), n in self.reasons.most_common() if stage == name]
            line += f" ({'; '.join(why[:3])})" if why else ""
            passed = [f"{n} {reason}" for (stage, reason), n in self.skipped.most_common() if stage == name]
            out.append(line + (f"; skipped, kept: {'; '.join(passed)}" if passed else ""))
        return out


class Stage:
    """Subclasses set ``name``, load what they need in ``setup`` and implement ``run``.
    A stage may add the seconds of its own parts to ``seconds`` (by part name);
    ``run_stages`` reports them as "stage/part"."""

    name = "stage"
    seconds: Counter[str]

    def setup(self) -> None:
        """Called once where the stage runs, before its first item."""

    def run(self, items: Sequence[Work]) -> Iterator[Work]:
        """Every item out, in order; only items not yet failed need work."""
        raise NotImplementedError


class ResolveStage(Stage):
    """Parse with spaCy, resolve coreference (the `storylens_coref` component) and,
    with ``claims``, find the claims a comparison aligns, while the parse is at hand."""

    name = "resolve"

    def __init__(
        self, backend: str = "sieve", batch_size: int = 8, resolver: Resolver | None = None, claims: bool = False
    ) -> None:
        """``resolver``: an already loaded one to use in this process."""
        self.backend, self.batch_size, self.claims = backend, batch_size, claims
        self._resolver = resolver
        self.seconds = Counter()

    def __getstate__(self) -> dict:
        # Stages travel to workers as settings; each loads its own models there.
        return {"backend": self.backend, "batch_size": self.batch_size, "claims": self.claims}

    def __setstate__(self, state: dict) -> None:
        self.backend, self.batch_size, self.claims = state["backend"], state["batch_size"], state["claims"]
        self._resolver = None
        self.seconds = Counter()

    def setup(self) -> None:
        if self._resolver is None:
            from storylens.coref.backend import backend_named
            from storylens.coref.resolver import Resolver

            self._resolver = Resolver(backend=backend_named(self.backend))

    def run(self, items: Sequence[Work]) -> Iterator[Work]:
        seconds = self.seconds
        t = time.perf_counter()
        self.setup()  # the models load on a worker's first batch
        seconds["setup"] += time.perf_counter() - t
        assert self._resolver is not None
        todo = [w for w in items if not w.failed and w.article is not None]
        from storylens.align.claims import extract_claims  # here: align is only needed where stages run
        from storylens.nlp.docs import doc_to_bytes

        parsed = self._resolver.parse([w.article for w in todo], self.batch_size, seconds=seconds)  # type: ignore[misc]
        for w, p in zip(todo, parsed, strict=True):
            skip = not_english(p.article)
            if skip is not None:
                # Kept and stored without coreference, quotes or claims; stories still see its names and numbers.
                a = p.article
                w.resolution = Resolution(article=a, clusters=[], edits=[], resolved=a.text)
                w.skipped = skip.split(" (", 1)[0]
                continue
            if p.resolution is None:
                w.error, w.stage = p.error or "resolve failed", self.name
                continue
            w.resolution = p.resolution
            if p.doc is not None:
                t = time.perf_counter()
                w.parse = doc_to_bytes(p.doc)
                seconds["parse to bytes"] += time.perf_counter() - t
                if self.claims:
                    t = time.perf_counter()
                    w.claims = extract_claims(p.resolution, p.doc)
                    seconds["claims"] += time.perf_counter() - t
        yield from items


def _reason(error: str) -> str:
    """A short reason for counting: the error's kind, not its details."""
    tail = error.rsplit(": ", 2)
    return tail[-2] if len(tail) >= 2 else error[:60]


def run_stages(stages: Sequence[Stage], items: Iterable[Work]) -> tuple[list[Work], StageStats]:
    """Run a batch through every stage in turn, timing and counting each."""
    batch = list(items)
    stats = StageStats()
    for stage in stages:
        t = time.perf_counter()
        before = {id(w) for w in batch if w.failed}
        skipped_before = {id(w) for w in batch if w.skipped}
        stats.seen[stage.name] += len(batch) - len(before)  # the items it works on
        stage.seconds = Counter()
        batch = list(stage.run(batch))
        stats.seconds[stage.name] += time.perf_counter() - t
        for part, s in stage.seconds.items():
            stats.seconds[f"{stage.name}/{part}"] += s
        for w in batch:
            if w.skipped and id(w) not in skipped_before:
                stats.skipped[(stage.name, w.skipped)] += 1
            if w.failed and id(w) not in before:
                stats.failed[stage.name] += 1
                stats.reasons[(stage.name, _reason(w.error))] += 1
    return batch, stats
