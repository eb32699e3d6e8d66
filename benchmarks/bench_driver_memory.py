"""Memory of ingest's driver alone: reading, triage, near-duplicates and writes, no NLP.

The stages are replaced by canned results (the resolutions, parses and claims
of 40 real ECB+ articles, resolved once and handed out in turn), so what grows
is what the driver keeps: near-duplicate signatures and the keys and hashes of
the batches in flight (the store answers for the rest), and DuckDB. Input:
``--articles`` ECB+ texts, each with a "Copy N." first line so none is an
exact duplicate. Printed: resident MiB every 2,000
articles (in brackets, what DuckDB reports as its own, ``duckdb_memory()``),
the highest resident MiB (sampled every 10 ms) and when it came, and how many
near-duplicate buckets the store holds (the index lives there).

    .venv/bin/python benchmarks/bench_driver_memory.py [--articles 10000]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "benchmarks" / "ecbplus" / "articles.jsonl"


def rss_mib() -> float:
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Canned:
    """An executor whose stages are replaced by results resolved once."""

    name = "canned"

    def __init__(self, done: list) -> None:
        self.done = done

    def __enter__(self) -> Canned:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def run(self, items: Sequence) -> tuple[list, object]:
        from storylens.engine.stages import StageStats

        for i, w in enumerate(items):
            t = self.done[i % len(self.done)]
            w.resolution, w.parse, w.claims = copy.copy(t.resolution), t.parse, t.claims
        return list(items), StageStats()

    def stream(self, batches: Iterable[Sequence]) -> Iterator:
        from storylens.engine.executors import one_by_one

        return one_by_one(self, batches)  # type: ignore[arg-type]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10000)
    args = ap.parse_args()
    from storylens.engine.stages import ResolveStage, Work, run_stages
    from storylens.model import Article
    from storylens.store.db import WRITE_MEMORY_LIMIT, Store
    from storylens.store.ingest import ingest

    rows = [json.loads(line) for line in ECB.open(encoding="utf-8")]
    templates = [Work(r["id"], r["id"], Article(id=r["id"], raw=r["text"], text=r["text"])) for r in rows[:40]]
    templates = [w for w in run_stages([ResolveStage(claims=True)], templates)[0] if w.resolution is not None]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        with source.open("w", encoding="utf-8") as f:
            for i in range(args.articles):
                r = rows[i % len(rows)]
                f.write(json.dumps({"id": f"a{i}", "text": f"Copy {i}.\n{r['text']}"}) + "\n")
        store = Store(Path(tmp) / "s.duckdb")
        done, marks, peak = [0], [], [0.0, 0]
        start = rss_mib()

        def sample() -> None:
            while True:
                now = rss_mib()
                if now > peak[0]:
                    peak[0], peak[1] = now, done[0]
                time.sleep(0.01)

        def advance(n: int) -> None:
            done[0] += n
            if done[0] % 2000 < n:
                duck = store.con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0]
                marks.append(f"{done[0]}: {rss_mib():.0f} ({duck / 2**20:.0f})")

        threading.Thread(target=sample, daemon=True).start()
        t = time.perf_counter()
        ingest([source], store, executor=Canned(templates), on_batch=advance)  # type: ignore[arg-type]
        seconds = time.perf_counter() - t
        bands = store.con.execute("SELECT count(*) FROM near_bands").fetchone()[0]
        store.close()
    print(f"{args.articles} articles through the driver in {seconds:.1f} s (stages canned)")
    print(f"resident MiB (DuckDB's own, of its {WRITE_MEMORY_LIMIT} cap): start {start:.0f}; " + ", ".join(marks))
    print(f"highest resident MiB {peak[0]:.0f}, after {peak[1]} articles")
    print(f"near-duplicate buckets in the store: {bands:,} rows")


if __name__ == "__main__":
    main()
