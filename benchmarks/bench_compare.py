"""How fast is compare: warm, busy, cold, and how it grows with the number of articles.

Each measurement runs in a fresh interpreter, once per runtime (ONNX Runtime,
the default, and torch), in the same run so their ratio is fair on a shared
machine. Per runtime it prints:
- cold: seconds from interpreter start to the first 5-article comparison
  done (imports, model loading, the comparison), and peak memory (max RSS);
- warm: 5 articles of about 800 words (models loaded, one run discarded),
  best of ``--repeat``, with the machine's cores as they are, then the same
  while another process keeps one core busy (``--busy``);
- growth: 20 and 100 articles, with the number of statements in facts and of facts.
Articles: OntoGUM documents cut to ~800 words (real prose; not one story,
which only makes alignment find fewer matches).

    .venv/bin/python benchmarks/bench_compare.py [--sizes 5 20 100] [--runtimes onnx torch]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

START = time.perf_counter()
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

WORDS = 800


def articles(n: int) -> list:
    from storylens.clean import clean_text
    from storylens.model import Article

    from corpus import ontogum_texts

    docs = ontogum_texts()
    out = []
    for i in range(n):
        doc_id, text = docs[i % len(docs)]
        text = " ".join(text.split(" ")[:WORDS])
        if i >= len(docs):
            text = f"Copy {i // len(docs)}. {text}"
        out.append(Article(id=f"{doc_id}-{i}", raw=text, text=clean_text(text).text, outlet=f"outlet{i}"))
    return out


def child(sizes: list[int], repeat: int) -> dict:
    """Runs in the fresh interpreter: cold start first, then warm timings."""
    from storylens.align.compare import Comparer

    five = articles(5)
    comparer = Comparer()
    comparer.compare(five)
    cold = time.perf_counter() - START
    out: dict = {"runtime": comparer.embedder.runtime, "cold_s": cold, "sizes": {}}
    for n in sizes:
        batch = articles(n)
        best = float("inf")
        claims = facts = 0
        for _ in range(repeat if n <= 5 else 1):
            t = time.perf_counter()
            result = comparer.compare(batch)
            best = min(best, time.perf_counter() - t)
            claims = sum(len(g.claims) for g in result.claims)
            facts = len(result.claims)
        out["sizes"][str(n)] = {
            "seconds": best,
            "claims": claims,
            "facts": facts,
            "words": sum(len(a.text.split()) for a in batch),
        }
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def spin() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def measure(runtime: str, sizes: list[int], repeat: int, busy: bool) -> dict:
    env = dict(os.environ, STORYLENS_RUNTIME=runtime)
    args = [sys.executable, __file__, "--child", "--repeat", str(repeat), "--sizes", *map(str, sizes)]
    neighbour = spin() if busy else None
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    finally:
        if neighbour is not None:
            neighbour.kill()
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5, 20, 100])
    ap.add_argument("--runtimes", nargs="+", default=["onnx", "torch"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.sizes, args.repeat)))
        return
    results = {}
    for runtime in args.runtimes:
        quiet = measure(runtime, args.sizes, args.repeat, busy=False)
        busy = measure(runtime, [5], args.repeat, busy=True)
        results[runtime] = {"quiet": quiet, "busy_5_s": busy["sizes"]["5"]["seconds"]}
    print(f"cores: {os.cpu_count()}; 5 articles of ~{WORDS} words, warm, best of {args.repeat}")
    print(f"{'runtime':>8} {'cold s':>7} {'peak MiB':>9} {'5 warm':>7} {'5 busy':>7}   per size: s (statements/facts)")
    for r in results.values():
        q = r["quiet"]
        sizes = "  ".join(f"{n}: {v['seconds']:.2f} ({v['claims']}/{v['facts']})" for n, v in q["sizes"].items())
        five = q["sizes"].get("5", {}).get("seconds", float("nan"))
        print(
            f"{q['runtime'][:8]:>8} {q['cold_s']:7.2f} {q['peak_mib']:9.0f} {five:7.2f} {r['busy_5_s']:7.2f}   {sizes}"
        )
    if {"onnx", "torch"} <= results.keys():
        o, t = results["onnx"], results["torch"]
        print(
            "torch / onnx: "
            f"warm {t['quiet']['sizes']['5']['seconds'] / o['quiet']['sizes']['5']['seconds']:.2f}x, "
            f"busy {t['busy_5_s'] / o['busy_5_s']:.2f}x, cold {t['quiet']['cold_s'] / o['quiet']['cold_s']:.2f}x, "
            f"peak memory {t['quiet']['peak_mib'] / o['quiet']['peak_mib']:.2f}x"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
