"""Ingest through Ray Data: read, clean and run the stages on the cluster, write
Parquet shards, then load them into the DuckDB store in input order.

The driver only plans (which files, which keys are already stored) and loads:
reading and cleaning happen in Ray tasks, the stages in Ray actors that set
them up once (``map_batches`` with a class), and results travel as Parquet
shards, so the driver is no bottleneck. Loading applies the same rules as the
local ingest (``store.ingest.triage``): inputs already stored are skipped,
exact duplicates recorded, near-copies marked, an id reused for another text
reported; each shard's rows go in one transaction, in input order, so the
stored result equals the local engine's. Ray retries the tasks and restarts
the actors of a worker that dies; a driver killed before loading finishes
leaves whole transactions, and a rerun does the rest.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from storylens.engine.stages import Stage, Work, run_stages
from storylens.model import Article

# About 50 to 100 articles a block once read: enough blocks to keep every actor busy.
BLOCK_BYTES = 256 * 1024
# Columns of a shard row besides the store's own article columns.
ORDER = ("file", "n")
SHARD_FIELDS = ("key", "source", "error", "stage", "text", "row", "parse", "stats")


def _read(row: dict[str, Any], index: dict[str, int], done: frozenset[str]) -> list[dict[str, Any]]:
    """One source file's bytes into one row per input, read and cleaned; inputs
    whose key is already stored are dropped here, before any parsing."""
    from storylens.store.ingest import read_file

    path = row["path"]
    name = path.removeprefix("local://")
    suffix = "".join(Path(name).suffixes[-2:]) if name.lower().endswith(".warc.gz") else Path(name).suffix
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(tmp) / f"source{suffix}"
        local.write_bytes(row["bytes"])
        out = []
        for n, w in enumerate(read_file(local, name)):
            out.append(
                {
                    "file": index.get(name, -1),
                    "n": n,
                    "key": w.key,
                    "source": w.source,
                    "error": w.error,
                    "stage": w.stage,
                    "article": _article_json(w.article),
                }
            )
    return [r for r in out if r["error"] or r["key"] not in done]


def _article_json(a: Article | None) -> str:
    if a is None:
        return ""
    from storylens.report.jsonout import cleaning_edit_json

    return json.dumps(
        {
            "id": a.id, "raw": "", "text": a.text, "title": a.title, "outlet": a.outlet, "url": a.url,
            "published": a.published, "source_path": a.source_path,
            "cleaning": [cleaning_edit_json(e) for e in a.cleaning],
        },
        ensure_ascii=False,
    )  # fmt: skip


def _article(data: str) -> Article | None:
    if not data:
        return None
    from storylens.report.jsonout import edits_from_json

    d = json.loads(data)
    cleaning = edits_from_json(d["cleaning"])
    return Article(
        id=d["id"], raw="", text=d["text"], title=d["title"], outlet=d["outlet"], url=d["url"],
        published=d["published"], source_path=d["source_path"], cleaning=cleaning,
    )  # fmt: skip


class StageRunner:
    """A Ray Data actor: the stages set up once, then batch after batch."""

    def __init__(self, stages: list[Stage]) -> None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
        self.stages = stages
        for stage in stages:
            stage.setup()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        from storylens.clean.sources import content_hash
        from storylens.store.db import article_row

        rows = [dict(zip(batch, values, strict=True)) for values in zip(*batch.values(), strict=True)]
        items = [Work(r["key"], r["source"], _article(r["article"]), error=r["error"], stage=r["stage"]) for r in rows]
        for w in items:
            if w.article is not None:
                w.text_hash = content_hash(w.article.text)
        done, stats = run_stages(self.stages, items)
        out: dict[str, list] = {k: [] for k in (*ORDER, *SHARD_FIELDS)}
        for r, w in zip(rows, done, strict=True):
            out["file"].append(int(r["file"]))
            out["n"].append(int(r["n"]))
            out["key"].append(w.key)
            out["source"].append(w.source)
            out["error"].append(w.error)
            out["stage"].append(w.stage)
            out["text"].append(w.article.text if w.article is not None else "")
            stored = article_row(w) if w.resolution is not None else None
            if stored is not None:
                stored["minhash"] = None  # the driver computes it in input order
                stored.pop("parse")  # bytes travel in their own column, not in JSON
            out["row"].append(json.dumps(stored, ensure_ascii=False) if stored else "")
            out["parse"].append(w.parse)
            out["stats"].append("")
        if out["stats"]:
            out["stats"][0] = json.dumps(
                {
                    "seen": stats.seen,
                    "failed": stats.failed,
                    "seconds": stats.seconds,
                    # Counter keys are (stage, reason) pairs: JSON has no tuple keys.
                    "skipped": [[stage, reason, n] for (stage, reason), n in stats.skipped.items()],
                }
            )
        return out


def ingest_ray_data(
    sources: Iterable[str | Path],
    store: Any,
    stages: list[Stage],
    workers: int = 1,
    address: str | None = None,
    batch: int = 32,
    on_batch: Callable[[int], None] | None = None,
) -> Any:
    """Run the whole ingest on Ray Data; returns the ingest ``Summary``."""
    from storylens.clean.sources import expand
    from storylens.engine.ray_engine import import_ray, start_ray

    ray = import_ray()
    from storylens.store.ingest import INGEST_SUFFIXES, Seen, Summary

    paths = [str(p.resolve()) for p in expand(sources, INGEST_SUFFIXES)]
    missing = [p for p in paths if not Path(p).is_file()]
    summary = Summary()
    seen = Seen(store)
    recorded = store.known([f"error:{p}" for p in missing])
    errors = [(f"error:{p}", p, "load", f"{p}: no such file") for p in missing if f"error:{p}" not in recorded]
    if errors:
        store.write_rows([], errors)
        summary.errors += len(errors)
        summary.by_stage["load"] = summary.by_stage.get("load", 0) + len(errors)
    paths = [p for p in paths if Path(p).is_file()]
    if not paths:
        return summary
    started = start_ray(ray, address, workers)
    shards = Path(tempfile.gettempdir()) / f"storylens-shards-{uuid.uuid4().hex[:8]}"
    try:
        index = {p: i for i, p in enumerate(paths)}
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        # Small blocks: a single JSONL file of articles still spreads over every actor.
        ctx.target_max_block_size = BLOCK_BYTES
        # Stored articles are not read again; this set of keys goes to every reader.
        done = store.article_keys()
        # Reading and cleaning are light next to parsing: they share a CPU.
        ds = ray.data.read_binary_files(paths, include_paths=True, num_cpus=0.25)
        ds = ds.flat_map(_read, fn_kwargs={"index": index, "done": done}, num_cpus=0.25)
        ds = ds.map_batches(
            StageRunner,
            fn_constructor_kwargs={"stages": stages},
            batch_size=8,
            compute=ray.data.ActorPoolStrategy(size=max(1, workers)),
            num_cpus=1,
            batch_format="default",
        )
        t = time.perf_counter()
        ds.write_parquet(str(shards))
        summary.stages.seconds["ray data (wall)"] += time.perf_counter() - t
        t = time.perf_counter()
        _load(store, shards, seen, summary, batch, on_batch)
        summary.stages.seconds["load into store"] += time.perf_counter() - t
    finally:
        shutil.rmtree(shards, ignore_errors=True)
        if started:
            ray.shutdown()
    return summary


def _load(
    store: Any, shards: Path, seen: Any, summary: Any, batch: int, on_batch: Callable[[int], None] | None
) -> None:
    """Shard rows into the store in input order, ``batch`` per transaction, with
    the local ingest's rules for what was stored before and for duplicates."""
    from storylens.store.ingest import count, triage

    cursor = store.con.cursor()
    cursor.execute(
        "SELECT key, source, error, stage, text, row, parse, stats "
        f"FROM read_parquet('{shards}/*.parquet') ORDER BY file, n"
    )
    # A batch at a time, so the driver never holds the whole corpus.
    while group := cursor.fetchmany(batch):
        items, results = [], {}
        for key, source, error, stage, text, row, parse, stats in group:
            if stats:
                s = json.loads(stats)
                summary.stages.seen.update(s["seen"])
                summary.stages.failed.update(s["failed"])
                summary.stages.seconds.update(s["seconds"])
                summary.stages.skipped.update({(stage, reason): n for stage, reason, n in s.get("skipped", [])})
            if text:
                # Loaded: triage decides on the text; the result (or the stage's error) is written after.
                data = json.loads(row) if row else None
                if data is not None:
                    data["parse"] = parse or None
                # The hash was computed where the stages ran; triage reuses it.
                hashed = data["text_hash"] if data else ""
                items.append(Work(key, source, Article(id=key, raw="", text=text), text_hash=hashed))
                results[(key, source)] = (data, error, stage)
            else:
                items.append(Work(key, source, error=error, stage=stage))
        todo, failed, duplicates = triage(items, seen, summary)
        article_rows, errors = [], [(w.key, w.source, w.stage, w.error) for w in failed]
        for w in todo:
            data, error, stage = results[(w.key, w.source)]
            if data is None:
                w.error, w.stage = error, stage
                errors.append((w.key, w.source, stage, error))
                continue
            data["near_duplicate_of"] = w.near_duplicate_of or None
            data["minhash"] = w.signature or None
            article_rows.append(data)
        store.write_rows(article_rows, errors, duplicates)
        seen.written(failed + todo, duplicates)
        count(failed + todo, duplicates, summary)
        if on_batch is not None:
            on_batch(len(group))
    cursor.close()
