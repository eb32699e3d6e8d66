"""The corpus store: ingest from several source kinds, resume after SIGKILL with
every input stored exactly once, and stories over the stored articles."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from importlib.resources import files
from pathlib import Path

import duckdb

from conftest import seed_path

EXAMPLES = Path(str(files("storylens") / "examples"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storylens.cli", *args], capture_output=True, text=True, timeout=600)


def _corpus(folder: Path) -> int:
    """Seeds, the bundled examples, a CSV row, a JSONL file with a bad record and a
    duplicate: returns how many distinct good articles it holds."""
    folder.mkdir()
    for key in ("000", "002", "003", "004"):
        (folder / seed_path(key).name).write_text(seed_path(key).read_text(encoding="utf-8"), encoding="utf-8")
    for p in EXAMPLES.iterdir():
        (folder / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "copy_of_000.txt").write_text(seed_path("000").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "dump.csv").write_text(
        "title,publication,date,url,content\n"
        '"Port strike ends","Bay Wire","2024-05-03","http://example.org/1","Workers at the Port of Marlow returned '
        "to work on Friday after the union and the port authority agreed a new contract, union leader Tomasz Nowak "
        'said."\n',
        encoding="utf-8",
    )
    rows = [{"id": "bad", "outlet": "X", "text": 42}]
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return 4 + 3 + 1


def _table(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_ingest_stores_each_input_once_and_stories_cover_every_article(tmp_path: Path) -> None:
    expected = _corpus(tmp_path / "in")
    db = tmp_path / "s.duckdb"
    first = run("ingest", str(tmp_path / "in"), "--db", str(db))
    assert first.returncode == 1, first.stderr  # the bad JSONL record
    assert f"stored {expected}, duplicates 1, problems 1" in first.stderr
    ((n, resolved),) = _table(db, "SELECT count(*), count(resolved) FROM articles")
    assert n == resolved == expected
    (problem,) = _table(db, "SELECT source, stage, reason FROM errors")
    assert problem[1] == "load" and "field 'text'" in problem[2]
    again = run("ingest", str(tmp_path / "in"), "--db", str(db))
    assert "stored 0" in again.stderr and f"already there {expected + 2}" in again.stderr
    out = run("stories", "--db", str(db), "--json")
    assert out.returncode == 0, out.stderr
    stories = json.loads(out.stdout)["stories"]
    ids = [a for s in stories for a in s["articles"]]
    assert sorted(ids) == sorted(r[0] for r in _table(db, "SELECT id FROM articles"))
    seeds = {r[0] for r in _table(db, "SELECT id FROM articles WHERE source LIKE '%/00_%'")}
    assert [s for s in stories if set(s["articles"]) == seeds], "the four seeds should be one story, alone"


def test_sigkill_at_any_point_then_rerun_stores_everything_exactly_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    base = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    for i in range(16):
        (folder / f"a{i:02d}.txt").write_text(f"Update {i}: the port stayed closed.\n\n{base[i % len(base)]}")
    db = tmp_path / "k.duckdb"
    cmd = [sys.executable, "-m", "storylens.cli", "ingest", str(folder), "--db", str(db), "--batch", "2"]
    for delay in (4.0, 6.5, 9.0):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    final = run("ingest", str(folder), "--db", str(db), "--batch", "2")
    assert final.returncode == 0, final.stderr
    rows = _table(db, "SELECT key, count(*) OVER (PARTITION BY key), resolved IS NOT NULL FROM articles")
    assert len(rows) == 16
    assert all(count == 1 and complete for _, count, complete in rows)
    assert _table(db, "SELECT count(*) FROM errors") == [(0,)]
