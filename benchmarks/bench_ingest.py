"""Ingest throughput and memory, beside a bare spaCy parse of the same texts, in one run.

Articles: the ECB+ train and dev texts (772 real news articles), repeated with
a "Copy N." first line until ``--articles`` are reached, written to one JSONL
file. Each configuration runs in a fresh interpreter:
- ``parse``: ``nlp.pipe`` over the texts in one process with the spaCy model
  as its package ships it (the bare spaCy parse);
- ``parse:storylens``: the same with storylens's pipeline (the same model, its
  attribute ruler matched over arrays: ``nlp/attribute_rules.py``), the parse
  that ingest runs;
- ``local:W``: ``storylens ingest --workers W`` (clean, parse, coreference,
  store), the local engine;
- ``ray:W``: the same with ``--engine ray`` on a local Ray instance (W actors).
Printed: seconds, articles/s, peak memory of the driver and the summed peak of
the workers (sampled from /proc every 0.2 s), and ratios against the parse and
against local with the same workers. Then story clustering time for 1k, 10k
and 100k synthetic articles (``--cluster-sizes``), their stories spread over
a year (``--cluster-days``), so a larger archive is also a denser one.

    .venv/bin/python benchmarks/bench_ingest.py [--articles 1000] [--engine ray|local] [--configs ...]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "benchmarks" / "ecbplus" / "articles.jsonl"


def corpus(n: int, path: Path) -> int:
    rows = [json.loads(line) for line in ECB.open(encoding="utf-8")]
    words = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            r = rows[i % len(rows)]
            text = r["text"] if i < len(rows) else f"Copy {i // len(rows)}.\n{r['text']}"
            words += len(text.split())
            f.write(json.dumps({"id": f"a{i}", "outlet": r.get("outlet") or "ecb", "text": text}) + "\n")
    return words


def child(config: str, jsonl: Path, db: Path) -> dict:
    t = time.perf_counter()
    if config in ("parse", "parse:storylens"):
        import spacy

        from storylens.nlp.pipeline import DEFAULT_MODEL, load_pipeline

        nlp = load_pipeline() if config == "parse:storylens" else spacy.load(DEFAULT_MODEL)
        texts = [json.loads(line)["text"] for line in jsonl.open(encoding="utf-8")]
        for _ in nlp.pipe(texts, batch_size=8):
            pass
        return {"seconds": time.perf_counter() - t, "stored": len(texts)}
    from storylens.store.db import Store
    from storylens.store.ingest import ingest

    engine, workers = config.split(":")
    store = Store(db)
    summary = ingest([jsonl], store, workers=int(workers), engine=engine)
    store.close()
    return {
        "seconds": time.perf_counter() - t,
        "stored": summary.stored,
        "stages": {k: round(v, 1) for k, v in summary.stages.seconds.items()},
    }


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _workers(driver: int) -> list[int]:
    """Processes doing the work: the driver's children, and every Ray worker process (its actors and tasks)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes()[:64]
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == driver or cmd.startswith(b"ray::"):
            out.append(int(entry.name))
    return out


def measure(config: str, jsonl: Path, tmp: Path) -> dict:
    db = tmp / f"{config.replace(':', '_')}.duckdb"
    args = [sys.executable, __file__, "--child", config, "--jsonl", str(jsonl), "--db", str(db)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    driver_peak = workers_peak = 0
    while proc.poll() is None:
        driver_peak = max(driver_peak, _rss_kib(proc.pid))
        workers_peak = max(workers_peak, sum(_rss_kib(p) for p in _workers(proc.pid)))
        time.sleep(0.2)
    out = json.loads(proc.stdout.read().strip().splitlines()[-1])
    out.update(driver_mib=driver_peak / 1024, workers_mib=workers_peak / 1024)
    if config.startswith("ray"):
        subprocess.run([str(Path(sys.executable).parent / "ray"), "stop", "--force"], capture_output=True)
    return out


def clustering(sizes: list[int], days: int = 365, max_days: int | None = None) -> list[tuple[int, float, int, float]]:
    """Synthetic articles: n/8 stories spread over ``days``, each article a bag of
    its story's made-up terms and names and of general words, with two of the
    names as its people; returns (n, seconds, stories found, B3 F1 against the
    stories made). ``max_days``: the date gate, else the shipped one."""
    from datetime import date, timedelta

    from story_eval import b_cubed
    from storylens.stories.assign import CHUNK
    from storylens.stories.cluster import StoryClusterer
    from storylens.stories.settings import DEFAULT

    rng = random.Random(7)
    # Made-up words of letters only, as the tokenizer reads words (a digit would make a number of it).
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    made = list(dict.fromkeys("".join(rng.choices(syllables, k=3)) for _ in range(40000)))
    vocab, names, general = made[:20000], [w.capitalize() for w in made[20000:25000]], made[25000:29000]
    out = []
    for n in sizes:
        clusterer = StoryClusterer(replace(DEFAULT, max_days=max_days or DEFAULT.max_days))
        articles, gold = [], {}
        for i in range(n):
            story = rng.randrange(max(1, n // 8))
            srng = random.Random(story)
            words = srng.sample(vocab, 12) + srng.sample(names, 3)
            text = " ".join(rng.choice(words) if rng.random() < 0.4 else rng.choice(general) for _ in range(150))
            when = date(2024, 1, 1) + timedelta(days=story % days)
            # The story's first name is its main person, as coreference clusters would give it.
            people = [(words[12], "PERSON", 4), (words[13], "PERSON", 1)]
            articles.append((f"a{i}", " ".join(words[:5]), text, when, people))
            gold[f"a{i}"] = str(story)
        # As `storylens stories` does: date order, CHUNK articles per call.
        articles.sort(key=lambda a: a[3])
        pred: dict[str, int] = {}
        t = time.perf_counter()
        for start in range(0, n, CHUNK):
            part = articles[start : start + CHUNK]
            pred.update(zip((a[0] for a in part), clusterer.add_batch(part), strict=True))
        seconds = time.perf_counter() - t
        f1 = b_cubed(gold, pred)[2]
        out.append((n, seconds, len(clusterer.stories), f1))
        print(
            f"story clustering: {n:>7} synthetic articles in {seconds:7.1f} s "
            f"(gate {clusterer.settings.max_days} days), {len(clusterer.stories)} stories "
            f"found for {len(set(gold.values()))} made (B3 F1 {f1:.1f})",
            flush=True,
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--engine", choices=["local", "ray"], default="ray", help="ray: add ray:2 beside the local runs")
    ap.add_argument(
        "--configs", nargs="+", help="runs to make, e.g. parse local:1 local:2 ray:2 (none: clustering only)"
    )
    ap.add_argument("--cluster-sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    ap.add_argument(
        "--cluster-days", type=int, default=365, help="days the synthetic stories spread over (more: a sparser archive)"
    )
    ap.add_argument("--cluster-max-days", type=int, help="the stories' date gate (default: the shipped one)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--jsonl", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.jsonl, args.db)))
        return
    if not args.configs:
        args.configs = ["parse", "parse:storylens", "local:1", "local:2"] + (["ray:2"] if args.engine == "ray" else [])
    elif args.configs == ["none"]:
        args.configs = []  # story clustering only
    results: dict = {"configs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "articles.jsonl"
        words = corpus(args.articles, jsonl)
        print(f"{args.articles} articles, {words:,} words; {os.cpu_count()} cores", flush=True)
        print(f"{'config':>15} {'seconds':>8} {'art/s':>7} {'driver MiB':>10} {'workers MiB':>11}  stages (s)")
        for config in args.configs:
            r = measure(config, jsonl, Path(tmp))
            results["configs"][config] = r
            print(
                f"{config:>15} {r['seconds']:8.1f} {r['stored'] / r['seconds']:7.2f} {r['driver_mib']:10.0f} "
                f"{r['workers_mib']:11.0f}  {r.get('stages', '')}",
                flush=True,
            )
    c = results["configs"]
    if "parse" in c and "local:1" in c:
        extra = c["local:1"]["seconds"] / c["parse"]["seconds"] - 1
        print(f"ingest with one worker costs {extra:+.0%} beyond the bare spaCy parse of the same texts")
    if "parse:storylens" in c and "local:1" in c:
        extra = c["local:1"]["seconds"] / c["parse:storylens"]["seconds"] - 1
        print(f"ingest with one worker costs {extra:+.0%} beyond storylens's own parse of the same texts")
    for w in ("1", "2", "4"):
        if f"local:{w}" in c and f"ray:{w}" in c:
            ratio = c[f"ray:{w}"]["seconds"] / c[f"local:{w}"]["seconds"]
            print(f"ray / local with {w} workers: {ratio:.2f}x the time")
    if args.cluster_sizes:
        results["clustering"] = clustering(args.cluster_sizes, args.cluster_days, args.cluster_max_days)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
