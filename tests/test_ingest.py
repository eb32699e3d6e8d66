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
    quake = (
        "A magnitude 6.1 earthquake struck off the coast of Sumatra on Sunday, the geological agency said, "
        "damaging houses in two villages and sending residents to higher ground for fear of a tsunami."
    )
    duckdb.sql(
        f"COPY (SELECT 'pq-1' AS id, 'Quake Wire' AS outlet, '{quake}' AS text) TO '{folder / 'feed.parquet'}' "
        "(FORMAT parquet)"
    )
    return 4 + 3 + 1 + 1


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
    again = run("stories", "--db", str(db), "--json")  # nothing new to place: the same stories
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["stories"] == stories


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


def _warc(path: Path, pages: list[tuple[str, str]]) -> None:
    """A WARC with one request and one image beside the HTML responses."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for url, html in pages:
            head = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=BytesIO(html.encode()), http_headers=head)
            )
        writer.write_record(
            writer.create_warc_record("http://example.org/", "request", payload=BytesIO(b"GET / HTTP/1.0\r\n\r\n"))
        )
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.0")
        writer.write_record(
            writer.create_warc_record(
                "http://example.org/a.png", "response", payload=BytesIO(b"\x89PNG"), http_headers=img
            )
        )


def _page(title: str, body: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>{title}</h1><p>{body}</p></article><footer>Cookies</footer></body></html>"
    )


STRIKE = (
    "Workers at the Port of Marlow went on strike on Tuesday after talks over pay collapsed overnight, "
    "union leader Tomasz Nowak said. The port authority said ferries would run as normal and that it "
    "hoped to return to the table before the weekend, while shipping firms diverted cargo to Dover. "
    "The dispute began in March, when the authority proposed new shift patterns and automated cranes at "
    "the container terminal. Nowak said members had voted by a large majority for the walkout and would "
    "picket the main gate every morning. Local businesses said the strike would hit trade in the town, "
    "which depends on the port for about a third of its jobs, and the council urged both sides to settle."
)


def test_warc_near_copies_export_and_story_commands(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    folder = tmp_path / "in"
    folder.mkdir()
    other = (
        "A magnitude 6.1 earthquake struck off the coast of Sumatra on Sunday, the geological agency said, "
        "damaging houses in two villages and sending residents to higher ground for fear of a tsunami."
    )
    _warc(
        folder / "crawl.warc.gz",
        [
            ("http://a.example/strike", _page("Port strike", STRIKE)),
            # Wire copy with a light edit: stored, and marked as a near-copy.
            ("http://b.example/strike", _page("Port strike", STRIKE.replace("Tuesday", "Tuesday morning"))),
            ("http://c.example/quake", _page("Quake", other)),
        ],
    )
    (folder / "broken.warc").write_bytes(b"this is not a warc file at all")
    db = tmp_path / "w.duckdb"
    done = run("ingest", str(folder), "--db", str(db))
    assert "stored 3" in done.stderr and "problems 1" in done.stderr, done.stderr
    assert "stage resolve: 3 articles, 0 failed" in done.stderr
    rows = _table(db, "SELECT url, near_duplicate_of IS NOT NULL, json_array_length(claims) FROM articles ORDER BY url")
    assert [(u, near) for u, near, _ in rows] == [
        ("http://a.example/strike", False),
        ("http://b.example/strike", True),
        ("http://c.example/quake", False),
    ]
    assert all(n >= 1 for _, _, n in rows)
    assert "not a WARC file" in _table(db, "SELECT reason FROM errors")[0][0]
    stories = json.loads(run("stories", "--db", str(db), "--json").stdout)["stories"]
    assert sorted(len(s["articles"]) for s in stories) == [1, 2]  # the copy joins its original's story
    strike = next(s for s in stories if len(s["articles"]) == 2)
    listed = run("stories", "list", "--db", str(db), "--word", "Nowak")
    assert listed.returncode == 0 and strike["id"] in listed.stdout and "Port strike" in listed.stdout
    shown = run("stories", "show", strike["id"], "--db", str(db))
    assert "2 articles" in shown.stdout and "a.example" not in shown.stderr
    compared = run("compare", "--db", str(db), "--story", strike["id"], "--json")
    assert compared.returncode == 0, compared.stderr
    assert len(json.loads(compared.stdout)["articles"]) == 2
    assert "no story" in run("compare", "--db", str(db), "--story", "s99").stderr
    out = tmp_path / "pq"
    exported = run("export", "--db", str(db), "--parquet", str(out))
    assert exported.returncode == 0, exported.stderr
    tables = {p.stem: pq.read_table(p) for p in out.glob("*.parquet")}
    assert set(tables) == {"articles", "mentions", "quotes", "claims", "stories"}
    assert tables["articles"].num_rows == 3 and "resolved" in tables["articles"].column_names
    assert tables["stories"].num_rows == 3
    mention = tables["mentions"].to_pylist()[0]
    text = dict(_table(db, "SELECT key, text FROM articles"))[mention["article_key"]]
    assert text[mention["start"] : mention["end"]] == mention["text"]  # offsets into the cleaned text
    claim = tables["claims"].to_pylist()[0]
    assert (
        dict(_table(db, "SELECT key, text FROM articles"))[claim["article_key"]][claim["start"] : claim["end"]]
        == claim["text"]
    )


def test_estimate_count_gives_the_progress_bar_its_total(tmp_path: Path) -> None:
    from storylens.store.ingest import estimate_count, read_inputs

    (tmp_path / "a.jsonl").write_text('{"id": "1", "text": "One."}\n\n{"id": "2", "text": "Two."}\n', encoding="utf-8")
    (tmp_path / "b.csv").write_text('title,content\nT,"Line one.\nLine two."\nU,Three.\n', encoding="utf-8")
    (tmp_path / "c.txt").write_text("A plain article.", encoding="utf-8")
    assert estimate_count([tmp_path]) == 5 == len(list(read_inputs([tmp_path])))


def test_a_stored_story_compares_from_its_stored_parses_alone(tmp_path: Path, resolver, comparer) -> None:
    from storylens.align.compare import Comparer
    from storylens.report.jsonout import comparison_json
    from storylens.store.db import Store
    from storylens.store.ingest import ingest
    from storylens.stories.assign import assign_stories

    folder = tmp_path / "in"
    folder.mkdir()
    for key in ("000", "002", "003", "004"):
        (folder / f"{key}.txt").write_text(seed_path(key).read_text(encoding="utf-8"), encoding="utf-8")
    store = Store(tmp_path / "s.duckdb")
    ingest([folder], store)
    assign_stories(store)
    (story,) = {s for (s,) in store.con.execute("SELECT DISTINCT story FROM stories").fetchall()}
    articles = store.story_articles(f"s{story}")
    parses = store.parses(a.id for a in articles)
    assert set(parses) == {a.id for a in articles}

    class NoParse:
        """The pipeline's vocabulary, but parsing fails the test."""

        vocab = resolver.nlp.vocab

        def __call__(self, text: str) -> None:
            raise AssertionError("parsed again")

        pipe = __call__

    stored = Comparer(resolver=type(resolver)(nlp=NoParse()), embedder=comparer.embedder, judge=comparer.judge)
    from_store = comparison_json(stored.compare(articles, parses=parses))
    parsed = comparison_json(comparer.compare(articles))
    assert from_store == parsed
    # A damaged stored parse costs a parse, not the comparison.
    damaged = {**parses, articles[0].id: b"not a parse"}
    assert comparison_json(comparer.compare(articles, parses=damaged)) == parsed
    store.close()


def test_a_later_run_finds_near_copies_through_the_store_not_an_index_in_memory(tmp_path: Path) -> None:
    from storylens.store.db import Store
    from storylens.store.ingest import ingest
    from storylens.store.near_dups import lsh_shape

    text = (EXAMPLES / "harbor_gazette.txt").read_text(encoding="utf-8")
    words = text.split(" ")

    def edited(i: int) -> Path:
        # A light edit: one word changed, the rest word for word.
        copy = words.copy()
        copy[len(copy) // 2] = f"edited{i}"
        path = tmp_path / f"copy{i}.txt"
        path.write_text(" ".join(copy), encoding="utf-8")
        return path

    (tmp_path / "original.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "n.duckdb"
    store = Store(db)
    ingest([tmp_path / "original.txt"], store)
    ((original, n_bands),) = store.con.execute(
        "SELECT a.key, count(n.bucket) FROM articles a JOIN near_bands n USING (key) GROUP BY a.key"
    ).fetchall()
    assert n_bands == lsh_shape()[0]
    store.close()

    store = Store(db)  # a new run: nothing about the original is in memory
    ingest([edited(1)], store)
    near = dict(store.con.execute("SELECT source, near_duplicate_of FROM articles").fetchall())
    assert near[str(tmp_path / "copy1.txt")] == original
    # A store from before the buckets existed gets them when opened for writing.
    store.con.execute("DELETE FROM near_bands")
    store.close()
    store = Store(db)
    assert store.con.execute("SELECT count(DISTINCT key) FROM near_bands").fetchone()[0] == 2
    ingest([edited(2)], store)
    rows = store.con.execute("SELECT source, key, near_duplicate_of FROM articles").fetchall()
    key = {source: k for source, k, _ in rows}
    near = {source: n for source, _, n in rows}
    assert near[str(tmp_path / "copy2.txt")] in {original, key[str(tmp_path / "copy1.txt")]}
    store.close()


def test_triage_asks_the_store_and_holds_only_the_batches_in_flight(tmp_path: Path) -> None:
    from storylens.engine.stages import Work
    from storylens.model import Article
    from storylens.store.db import Store
    from storylens.store.ingest import Seen, Summary, triage

    def work(key: str, text: str, source: str) -> Work:
        return Work(key, source, Article(id=key, raw=text, text=text))

    path = tmp_path / "t.duckdb"
    store = Store(path)
    seen, summary = Seen(store), Summary()
    same, other = "The port reopened on Friday.", "The strike went on."
    batch = [work("x", same, "a:1"), work("x", same, "a:2"), work("x", other, "a:3"), work("y", same, "a:4")]
    todo, failed, duplicates = triage(batch, seen, summary)
    assert [w.key for w in todo] == ["x"]
    assert [(w.key, w.stage) for w in failed] == [("x#a:3", "load")]  # one id, two texts: reported
    assert duplicates == [("x#a:2", "a:2", "x"), ("y", "a:4", "x")]
    # The executor runs a batch ahead: the next one is triaged before this one is written.
    ahead, _, ahead_duplicates = triage([work("z", same, "b:1")], seen, summary)
    assert ahead == [] and ahead_duplicates == [("z", "b:1", "x")]
    todo[0].error, todo[0].stage = "failed in a stage", "resolve"
    store.write(failed + todo, duplicates)
    seen.written(failed + todo, duplicates)
    store.write([], ahead_duplicates)
    seen.written([], ahead_duplicates)
    assert not seen._keys and not seen._hashes  # the store answers for everything written
    _, _, again = triage([work("x", same, "c:1")], seen, summary)
    assert again == [("x#c:1", "c:1", "x")]  # met again in this run: a duplicate
    store.close()
    rerun = Store(path)
    later = Summary()
    assert triage([work("x", same, "a:1"), work("y", same, "a:4")], Seen(rerun), later) == ([], [], [])
    assert later.already_done == 2  # a later run: earlier work, not duplicates
    rerun.close()
