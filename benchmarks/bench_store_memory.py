"""Memory of the DuckDB store while it is written, with and without a buffer limit.

Writes 10,000 synthetic rows of article size (2,000 characters of text, a
clusters JSON of 800 entries, a 7,000-byte parse) in batches of 100, as ingest
does, each limit in a fresh interpreter, and prints the resident memory after
every 2,500 rows and the peak. ``store.db.WRITE_MEMORY_LIMIT`` is what a store
being written uses.

    .venv/bin/python benchmarks/bench_store_memory.py [--rows 10000] [--limits none 256MB 64MB]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path


def rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(limit: str, rows: int, path: Path) -> dict:
    from storylens.store.db import ARTICLE_COLUMNS, Store

    store = Store(path)
    store.con.execute(f"SET memory_limit = '{limit}'" if limit != "none" else "RESET memory_limit")
    rng = random.Random(1)
    marks = {}
    for start in range(0, rows, 100):
        batch = []
        for i in range(start, start + 100):
            row = dict.fromkeys(ARTICLE_COLUMNS)
            key = f"k{i}"
            text = "".join(rng.choice("abcdefgh ") for _ in range(2000))
            clusters = json.dumps([{"x": rng.random()} for _ in range(800)])
            row.update(key=key, id=key, text=text, text_hash=key, clusters=clusters, parse=os.urandom(7000))
            batch.append(row)
        store.write_rows(batch)
        if (start + 100) % 2500 == 0:
            marks[start + 100] = round(rss_mib())
    store.close()
    return {"limit": limit, "rss": marks, "peak": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--limits", nargs="+", default=["none", "256MB", "64MB"])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rows, args.db)))
        return
    print(f"{args.rows} rows written in batches of 100; resident MiB after every 2,500, and the peak")
    for limit in args.limits:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, __file__, "--child", limit, "--rows", str(args.rows), "--db", f"{tmp}/s.duckdb"]
            out = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
        marks = "  ".join(f"{n}: {m}" for n, m in out["rss"].items())
        print(f"memory_limit {limit:>6}: {marks}  peak {out['peak']}", flush=True)


if __name__ == "__main__":
    main()
