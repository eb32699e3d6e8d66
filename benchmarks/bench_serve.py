"""Load on `storylens serve`: concurrent clients over loopback for a bounded time.

Starts the real server (`storylens serve` in a subprocess, models warmed by one
comparison of the four seeds), then runs ``--clients`` threads for
``--seconds``: each loops over the story page, an article page, the API result
and the list, and every ``--compare-every``-th request of client 0 starts a new
comparison (the seeds again), so page views are measured while comparisons run.
Prints per-kind latency percentiles (ms), request counts, errors (non-2xx or
failed connections) and whether the server is still up at the end.

    .venv/bin/python benchmarks/bench_serve.py [--clients 20] [--seconds 30]
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

from storylens.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
OUTLETS = {"000": "Breitbart", "002": "IBTimes", "003": "LifeZette", "004": "TheBlaze"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        con.request(method, path, body=body, headers=headers or {})
        r = con.getresponse()
        return r.status, r.read(), r.getheader("location")
    finally:
        con.close()


def seeds_upload() -> tuple[bytes, dict]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, name in OUTLETS.items():
        data = next(SEEDS.glob(f"{key}_*.txt")).read_bytes()
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def start_comparison(port: int) -> str:
    body, headers = seeds_upload()
    status, data, _ = request(port, "POST", "/api/comparisons", body, headers)
    if status != 202:
        raise RuntimeError(f"upload refused: {status} {data[:200]!r}")
    return json.loads(data)["id"]


def wait_done(port: int, job: str, limit: float = 300) -> dict:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        _, data, _ = request(port, "GET", f"/api/comparisons/{job}")
        got = json.loads(data)
        if got["status"] in ("done", "failed"):
            return got
        time.sleep(0.2)
    raise RuntimeError("comparison did not finish")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--compare-every", type=int, default=40, help="client 0 starts a comparison every N requests")
    args = ap.parse_args()
    port = free_port()
    # Comparisons are kept in a store, as they are when serving: each finished one is written to it.
    tmp = tempfile.TemporaryDirectory(prefix="storylens-bench-serve-")
    db = Path(tmp.name) / "bench.duckdb"
    Store(db).close()
    server = subprocess.Popen(
        [sys.executable, "-m", "storylens.cli", "serve", "--port", str(port), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request(port, "GET", "/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.2)
        t = time.perf_counter()
        job = start_comparison(port)
        first = wait_done(port, job)
        print(f"first comparison (models loaded on demand): {time.perf_counter() - t:.1f} s, {first['status']}")
        article = first["result"]["articles"][0]["id"]
        paths = {
            "story page": f"/c/{job}",
            "article page": f"/c/{job}/a/{article}?view=resolved",
            "api result": f"/api/comparisons/{job}",
            "api list": "/api/comparisons",
        }
        latency: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        compares = [0]
        stop = time.monotonic() + args.seconds

        def client(n: int) -> None:
            i = 0
            kinds = list(paths)
            while time.monotonic() < stop:
                kind = kinds[(i + n) % len(kinds)]
                i += 1
                t0 = time.perf_counter()
                try:
                    if n == 0 and i % args.compare_every == 0:
                        kind = "start comparison"
                        start_comparison(port)
                        compares[0] += 1
                    else:
                        status, _, _ = request(port, "GET", paths[kind])
                        if status >= 300:
                            errors[kind] += 1
                except (OSError, RuntimeError):
                    errors[kind] += 1
                latency[kind].append(1000 * (time.perf_counter() - t0))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        alive = server.poll() is None and request(port, "GET", "/")[0] == 200
        print(f"{args.clients} clients for {args.seconds:.0f} s over loopback; {compares[0]} comparisons started")
        print(f"{'request':>17} {'n':>6} {'errors':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}")
        for kind, xs in sorted(latency.items()):
            q = statistics.quantiles(xs, n=100, method="inclusive") if len(xs) > 1 else xs * 99
            print(f"{kind:>17} {len(xs):>6} {errors[kind]:>6} {q[49]:8.0f} {q[89]:8.0f} {q[98]:8.0f} {max(xs):8.0f}")
        total = sum(len(x) for x in latency.values())
        print(f"{total} requests, {total / args.seconds:.0f}/s, {sum(errors.values())} errors; server up: {alive}")
        _, listed, _ = request(port, "GET", "/api/comparisons")
        print(f"{len(json.loads(listed)['comparisons'])} comparisons kept in the store")
    finally:
        server.terminate()
        server.wait(10)
        tmp.cleanup()


if __name__ == "__main__":
    main()
