"""The Ray executor: the same stored results as the local one, and nothing lost
when a worker dies mid-task or the driver is killed (a local Ray instance)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from storylens.engine.local import LocalExecutor
from storylens.engine.stages import ResolveStage, Work
from storylens.store.db import Store
from storylens.store.ingest import default_stages, ingest, read_inputs

from test_ingest import _corpus, _table, run

ray = pytest.importorskip("ray", reason="Ray is the optional extra storylens[ray]; make test installs it")
from storylens.engine.ray_engine import RayExecutor  # noqa: E402

COLUMNS = "key, id, outlet, title, text, cleaning, resolved, edits, clusters, text_hash"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "in"
    _corpus(folder)
    return folder


def test_ray_and_local_store_the_same(corpus: Path, tmp_path: Path) -> None:
    stored = {}
    for engine in ("local", "ray"):
        db = tmp_path / f"{engine}.duckdb"
        store = Store(db)
        summary = ingest([corpus], store, workers=2, engine=engine)
        store.close()
        assert summary.stored == 9 and summary.errors == 1, summary
        # Ray Data parses on the cluster before the store's duplicate check: the copy is parsed, not stored.
        assert summary.stages.seen["resolve"] == (9 if engine == "local" else 10)
        assert summary.stages.failed["resolve"] == 0
        stored[engine] = (
            _table(db, f"SELECT {COLUMNS} FROM articles ORDER BY key"),
            _table(db, "SELECT key, stage FROM errors ORDER BY key"),
            _table(db, "SELECT key, reason, same_as FROM skipped ORDER BY key"),
        )
    assert stored["ray"] == stored["local"]
    # Stories too: the same articles give the same stories.
    groups = {}
    for engine in ("local", "ray"):
        done = run("stories", "--db", str(tmp_path / f"{engine}.duckdb"), "--json")
        assert done.returncode == 0, done.stderr
        groups[engine] = done.stdout
    assert groups["ray"] == groups["local"]


def test_a_killed_worker_loses_nothing(corpus: Path) -> None:
    items = [w for w in read_inputs([corpus]) if w.article is not None] * 8  # several seconds of work
    items = [Work(f"{w.key}-{n}", w.source, w.article) for n, w in enumerate(items)]
    with LocalExecutor([ResolveStage()]) as local:
        expected, _ = local.run(items)
    want = [(w.key, w.resolution.resolved) for w in expected]
    with RayExecutor(default_stages(), workers=2, chunk=2) as ex:
        victim = ex.actor_pids()[0]
        out: list = []
        runner = threading.Thread(target=lambda: out.append(ex.run(items)))
        runner.start()
        time.sleep(1.5)  # the actors are busy with their first chunks
        subprocess.run(["kill", "-9", str(victim)], check=True)
        runner.join(300)
        assert not runner.is_alive()
        done, stats = out[0]
        assert ex.restarts >= 1
    assert [(w.key, w.resolution.resolved if w.resolution else w.error) for w in done] == want
    assert stats.failed["resolve"] == 0


def test_killed_driver_resumes(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "kill.duckdb"
    cmd = [
        sys.executable,
        "-m",
        "storylens.cli",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--engine",
        "ray",
        "--batch",
        "2",
    ]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            con = duckdb.connect(str(db), read_only=True)
            n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            con.close()
        except duckdb.Error:
            n = 0
        if n >= 2:
            break
        time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # The killed driver leaves its local Ray instance behind.
    subprocess.run([str(Path(sys.executable).parent / "ray"), "stop", "--force"], capture_output=True, check=False)
    again = run("ingest", str(corpus), "--db", str(db), "--engine", "ray")
    # 1 when this run met the bad record first, 0 when the killed run had recorded it already.
    assert again.returncode in (0, 1) and "Traceback" not in again.stderr, again.stderr
    ((n, keys),) = _table(db, "SELECT count(*), count(DISTINCT key) FROM articles")
    assert n == keys == 9
    assert _table(db, "SELECT count(*) FROM errors") == [(1,)]
    assert _table(db, "SELECT count(*) FROM articles WHERE resolved IS NULL") == [(0,)]


def _map_workers() -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cmdline").read_bytes().startswith(b"ray::MapWorker"):
                    out.append(int(entry.name))
            except OSError:
                pass
    return out


def test_ray_data_worker_killed_mid_run_loses_nothing(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    for n in range(30):
        (folder / f"a{n:02d}.txt").write_text(f"Update {n}.\n" + texts[n % len(texts)], encoding="utf-8")
    db = tmp_path / "many.duckdb"
    store = Store(db)
    out: list = []
    runner = threading.Thread(target=lambda: out.append(ingest([folder], store, workers=2, engine="ray")))
    runner.start()
    deadline = time.monotonic() + 120
    while not _map_workers() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)  # the stage actors are set up and parsing
    victims = _map_workers()
    assert victims, "no Ray Data stage actor to kill"
    subprocess.run(["kill", "-9", str(victims[0])], check=True)
    runner.join(600)
    store.close()
    assert not runner.is_alive() and out, "ingest did not finish"
    assert out[0].stored == 30 and out[0].errors == 0, out[0]
    assert _table(db, "SELECT count(*), count(resolved) FROM articles") == [(30, 30)]


def test_an_unreachable_address_fails_fast_with_a_clear_message() -> None:
    import socket

    from storylens.engine.ray_engine import check_reachable
    from storylens.errors import StorylensError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free, and nothing listens once closed
    t = time.perf_counter()
    with pytest.raises(StorylensError, match=f"cannot reach Ray at ray://127.0.0.1:{port}"):
        check_reachable(f"ray://127.0.0.1:{port}")
    assert time.perf_counter() - t < 10
    check_reachable("auto")  # left to Ray
