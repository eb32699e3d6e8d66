"""The corpus store: one DuckDB file, no server.

Every article is written with all its results in one transaction per batch,
so a killed ingest leaves whole batches or nothing, and a rerun skips every key
already in ``articles``, ``skipped`` or ``errors``: each input is stored once.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from storylens.engine.stages import Work
from storylens.errors import StorylensError
from storylens.model import Article
from storylens.report.jsonout import (
    claim_json,
    cleaning_edit_json,
    cluster_json,
    edit_json,
    edits_from_json,
    quote_json,
)
from storylens.store.near_dups import band_buckets, lsh_shape

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,      -- the source's id, else a hash of the text
    id TEXT NOT NULL,
    source TEXT,               -- file, or file:line for JSONL and CSV
    outlet TEXT, title TEXT, url TEXT, published TEXT,
    text TEXT NOT NULL,        -- cleaned text: every offset points into it
    cleaning JSON,             -- edits from raw to text, offsets into raw
    language TEXT,
    resolved TEXT,             -- the coreference-resolved text
    edits JSON,                -- edits from text to resolved
    clusters JSON,
    text_hash TEXT NOT NULL,
    quotes JSON,               -- direct quotes with their speakers
    claims JSON,               -- sentences in the writer's voice, as compare aligns them
    near_duplicate_of TEXT,    -- key of an earlier article this one nearly copies
    minhash BLOB,              -- its MinHash signature (store/near_dups.py)
    parse BLOB                 -- its spaCy parse (nlp/docs.py): compare --db never parses again
);
ALTER TABLE articles ADD COLUMN IF NOT EXISTS quotes JSON;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS claims JSON;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS near_duplicate_of TEXT;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS minhash BLOB;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS parse BLOB;
CREATE TABLE IF NOT EXISTS skipped (key TEXT PRIMARY KEY, source TEXT, reason TEXT, same_as TEXT);
CREATE TABLE IF NOT EXISTS errors (key TEXT PRIMARY KEY, source TEXT, stage TEXT, reason TEXT);
-- The ingest run (one per open store) that wrote each row: a key met twice in one run is a duplicate.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS ingest_run TEXT;
ALTER TABLE skipped ADD COLUMN IF NOT EXISTS ingest_run TEXT;
ALTER TABLE errors ADD COLUMN IF NOT EXISTS ingest_run TEXT;
CREATE TABLE IF NOT EXISTS stories (article_key TEXT PRIMARY KEY, story INTEGER NOT NULL);
-- The LSH bucket of each band of each stored article's MinHash (store/near_dups.py).
CREATE TABLE IF NOT EXISTS near_bands (bucket BIGINT NOT NULL, key TEXT NOT NULL);
"""


ARTICLE_COLUMNS = (
    "key", "id", "source", "outlet", "title", "url", "published", "text", "cleaning", "language",
    "resolved", "edits", "clusters", "text_hash", "quotes", "claims", "near_duplicate_of", "minhash",
    "parse",
)  # fmt: skip
_INSERT = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}, ingest_run) "
    f"VALUES ({', '.join('?' * (len(ARTICLE_COLUMNS) + 1))})"
)


def article_row(item: Work) -> dict[str, Any]:
    """An article's stored row: every object serialised (so it can travel as Parquet, too)."""
    res = item.resolution
    assert res is not None
    a = res.article
    return {
        "key": item.key, "id": a.id, "source": item.source, "outlet": a.outlet, "title": a.title, "url": a.url,
        "published": a.published, "text": a.text,
        "cleaning": json.dumps([cleaning_edit_json(e) for e in a.cleaning], ensure_ascii=False),
        "language": a.language or "en", "resolved": res.resolved,
        "edits": json.dumps([edit_json(e) for e in res.edits], ensure_ascii=False),
        "clusters": json.dumps([cluster_json(c) for c in res.clusters], ensure_ascii=False),
        "text_hash": item.text_hash,
        "quotes": json.dumps([quote_json(q) for q in res.quotes], ensure_ascii=False),
        "claims": json.dumps([claim_json(c) for c in item.claims], ensure_ascii=False),
        "near_duplicate_of": item.near_duplicate_of or None,
        "minhash": item.signature or None,
        "parse": item.parse or None,
    }  # fmt: skip


# DuckDB's buffer pool grows towards 80 % of RAM as the file grows; a store being
# written keeps to this instead and spills to disk. 10,000 article-sized rows
# (`benchmarks/bench_store_memory.py`, resident MiB after 2,500 and 10,000):
# default 383 -> 454, 256MB 385 -> 436, 64MB 363 -> 358.
WRITE_MEMORY_LIMIT = "64MB"


# A store is a DuckDB file: opening anything else (a SQLite file) must not make
# DuckDB fetch an extension from the internet to read it.
NO_DOWNLOADS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def connect(path: str = ":memory:", read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that never installs or loads extensions on its own."""
    return duckdb.connect(path, read_only=read_only, config=dict(NO_DOWNLOADS))


def literal_path(path: str | Path) -> str:
    """``path`` as DuckDB's file readers take it, matching that one file: its glob
    characters in brackets (``glob[1].parquet`` would read ``glob1.parquet``)."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in str(path))


def like_pattern(text: str) -> str:
    """``text`` for a LIKE with ``ESCAPE '\\'``: its ``%`` and ``_`` match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Store:
    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        path = Path(path)
        if path.exists() and path.is_dir():
            raise StorylensError(f"--db {path}: is a folder; give a file name")
        if read_only and not path.exists():
            raise StorylensError(f"--db {path}: no such store; make one with `storylens ingest SOURCE... --db {path}`")
        try:
            self.con = connect(str(path), read_only=read_only)
        except duckdb.Error as e:
            raise StorylensError(f"--db {path}: cannot open ({e})") from None
        self.run = uuid.uuid4().hex
        if not read_only:
            self.con.execute(f"SET memory_limit = '{WRITE_MEMORY_LIMIT}'")
            self.con.execute(SCHEMA)
            self._index_old_signatures()

    def close(self) -> None:
        self.con.close()

    def known(self, keys: Sequence[str]) -> dict[str, tuple[str, bool]]:
        """Those of ``keys`` already handled: key -> (its text hash, "" when none was
        stored; whether this store object's run wrote it). Asked a batch at a time,
        so the driver never holds every key of the archive."""
        if not keys:
            return {}
        rows = self.con.execute(
            "WITH k AS (SELECT DISTINCT unnest(?::VARCHAR[]) AS key) "
            "SELECT key, text_hash, ingest_run FROM articles JOIN k USING (key) "
            "UNION ALL SELECT key, '', ingest_run FROM skipped JOIN k USING (key) "
            "UNION ALL SELECT key, '', ingest_run FROM errors JOIN k USING (key)",
            [list(keys)],
        ).fetchall()
        return {key: (text_hash, run == self.run) for key, text_hash, run in rows}

    def holders(self, text_hashes: Sequence[str]) -> dict[str, str]:
        """Text hash -> key of the stored article with that text, for those of ``text_hashes`` stored."""
        if not text_hashes:
            return {}
        return dict(
            self.con.execute(
                "SELECT text_hash, key FROM articles WHERE text_hash IN (SELECT unnest(?::VARCHAR[]))",
                [list(text_hashes)],
            ).fetchall()
        )

    def article_keys(self) -> frozenset[str]:
        return frozenset(k for (k,) in self.con.execute("SELECT key FROM articles").fetchall())

    def near_candidates(self, buckets: Sequence[int]) -> list[tuple[int, str, bytes]]:
        """(bucket, key, MinHash) of stored articles with a band in one of ``buckets``."""
        if not buckets:
            return []
        return self.con.execute(
            "SELECT n.bucket, a.key, a.minhash FROM near_bands n JOIN articles a ON a.key = n.key "
            "WHERE n.bucket IN (SELECT unnest(?::BIGINT[]))",
            [list(buckets)],
        ).fetchall()

    def _index_old_signatures(self) -> None:
        """A store written before ``near_bands`` existed gets its buckets, once."""
        rows = self.con.execute(
            "SELECT key, minhash FROM articles WHERE minhash IS NOT NULL AND key NOT IN (SELECT key FROM near_bands)"
        ).fetchall()
        if rows:
            shape = lsh_shape()
            bands = [(b, key) for key, packed in rows for b in band_buckets(packed, *shape)]
            self.con.executemany("INSERT INTO near_bands VALUES (?, ?)", bands)

    def write(self, items: Iterable[Work], duplicates: Iterable[tuple[str, str, str]] = ()) -> None:
        """One transaction: every item's results (or its error), or none of them."""
        items = list(items)
        self.write_rows(
            [article_row(w) for w in items if w.resolution is not None],
            [(w.key, w.source, w.stage, w.error) for w in items if w.resolution is None],
            duplicates,
        )

    def write_rows(
        self,
        rows: Iterable[dict[str, Any]],
        errors: Iterable[tuple[str, str, str, str]] = (),
        duplicates: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        """One transaction: articles as ``article_row`` makes them, errors as
        (key, source, stage, reason), duplicates as (key, source, same_as)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            bands = []
            for row in rows:
                self.con.execute(_INSERT, [*(row[c] for c in ARTICLE_COLUMNS), self.run])
                if row["minhash"]:
                    bands += [(b, row["key"]) for b in band_buckets(row["minhash"], *lsh_shape())]
            if bands:
                self.con.executemany("INSERT INTO near_bands VALUES (?, ?)", bands)
            for error in errors:
                self.con.execute(
                    "INSERT INTO errors (key, source, stage, reason, ingest_run) VALUES (?, ?, ?, ?, ?)",
                    [*error, self.run],
                )
            for key, source, same_as in duplicates:
                self.con.execute(
                    "INSERT INTO skipped (key, source, reason, same_as, ingest_run) VALUES (?, ?, 'duplicate', ?, ?)",
                    [key, source, same_as, self.run],
                )
            self.con.execute("COMMIT")
        except BaseException as e:
            # A failed statement may have ended the transaction already; its own error is the one to tell.
            with contextlib.suppress(duckdb.Error):
                self.con.execute("ROLLBACK")
            if isinstance(e, duckdb.Error):
                raise StorylensError(f"the store could not be written ({e}); this batch was not stored") from None
            raise

    def counts(self) -> dict[str, int]:
        return {
            t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "skipped", "errors")
        }

    # Each coreference cluster as (canonical name, type, mentions), read inside DuckDB
    # so story clustering never parses the whole clusters JSON in Python.
    _ENTITIES = (
        "list_transform(json_transform(a.clusters, "
        '\'[{"canonical":"VARCHAR","type":"VARCHAR","mentions":"JSON[]"}]\'), '
        "lambda c: {'name': c.canonical, 'type': c.type, 'mentions': len(c.mentions)})"
    )

    def _stream(self, sql: str, chunk: int = 2000) -> Iterator[tuple]:
        cursor = self.con.cursor()
        cursor.execute(sql)
        while rows := cursor.fetchmany(chunk):
            yield from rows
        cursor.close()

    def articles_for_stories(self) -> Iterator[tuple[str, str | None, str, str | None, list[dict], str | None]]:
        """(key, title, text, published, entities, near_duplicate_of) of articles with
        no story yet, oldest first, streamed."""
        return self._stream(
            f"SELECT a.key, a.title, a.text, a.published, {self._ENTITIES}, a.near_duplicate_of FROM articles a "
            "LEFT JOIN stories s ON s.article_key = a.key "
            "WHERE s.article_key IS NULL ORDER BY a.published NULLS LAST, a.key"
        )

    def unplaced(self) -> int:
        """How many articles have no story yet."""
        return self.con.execute(
            "SELECT count(*) FROM articles a LEFT JOIN stories s ON s.article_key = a.key WHERE s.article_key IS NULL"
        ).fetchone()[0]

    def story_of(self) -> dict[str, int]:
        return dict(self.con.execute("SELECT article_key, story FROM stories").fetchall())

    def articles_with_stories(self) -> Iterator[tuple[str, str | None, str, str | None, list[dict], int]]:
        """(key, title, text, published, entities, story) of articles already placed,
        oldest first, streamed."""
        return self._stream(
            f"SELECT a.key, a.title, a.text, a.published, {self._ENTITIES}, s.story "
            "FROM articles a JOIN stories s ON s.article_key = a.key WHERE a.near_duplicate_of IS NULL "
            "ORDER BY a.published NULLS LAST, a.key"
        )

    def save_stories(self, assignments: Iterable[tuple[str, int]]) -> None:
        rows = list(assignments)
        if not rows:
            return
        self.con.execute("BEGIN TRANSACTION")
        self.con.executemany("INSERT OR REPLACE INTO stories VALUES (?, ?)", rows)
        self.con.execute("COMMIT")

    def stories(self) -> list[dict]:
        rows = self.con.execute(
            "SELECT s.story, list(a.id ORDER BY a.published NULLS LAST, a.id), "
            "arg_min(coalesce(a.title, left(a.text, 80)), coalesce(a.published, '9999')) "
            "FROM stories s JOIN articles a ON a.key = s.article_key GROUP BY s.story ORDER BY s.story"
        ).fetchall()
        return [{"id": f"s{story}", "title": title, "articles": ids} for story, ids, title in rows]

    def search_stories(
        self, word: str = "", entity: str = "", outlet: str = "", date: str = "", limit: int = 200
    ) -> list[dict]:
        """Stories with an article that matches every filter given: a word of its
        text or title, an entity's name in its clusters, its outlet, a date prefix
        (`2017-03`). Each with its outlets, first date and article count."""
        where, args = [], []
        if word:
            where.append("(a.text ILIKE ? ESCAPE '\\' OR a.title ILIKE ? ESCAPE '\\')")
            args += [f"%{like_pattern(word)}%", f"%{like_pattern(word)}%"]
        if entity:
            where.append("CAST(a.clusters AS VARCHAR) ILIKE ? ESCAPE '\\'")
            args.append(f"%{like_pattern(entity)}%")
        if outlet:
            where.append("a.outlet ILIKE ? ESCAPE '\\'")
            args.append(f"%{like_pattern(outlet)}%")
        if date:
            where.append("a.published LIKE ? ESCAPE '\\'")
            args.append(f"{like_pattern(date)}%")
        matched = "SELECT DISTINCT s.story FROM stories s JOIN articles a ON a.key = s.article_key" + (
            " WHERE " + " AND ".join(where) if where else ""
        )
        rows = (
            self.con.cursor()
            .execute(
                "SELECT s.story, count(*), list(DISTINCT coalesce(a.outlet, a.id)), min(a.published), "
                "arg_min(coalesce(a.title, left(a.text, 80)), coalesce(a.published, '9999')) "
                f"FROM stories s JOIN articles a ON a.key = s.article_key WHERE s.story IN ({matched}) "
                "GROUP BY s.story ORDER BY count(*) DESC, s.story LIMIT ?",
                [*args, limit],
            )
            .fetchall()
        )
        return [
            {"id": f"s{story}", "articles": n, "outlets": sorted(outlets), "first_date": first, "title": title}
            for story, n, outlets, first, title in rows
        ]

    def parses(self, ids: Iterable[str]) -> dict[str, bytes]:
        """The stored spaCy parses of these article ids (those that have one)."""
        ids = list(ids)
        if not ids:
            return {}
        rows = (
            self.con.cursor()
            .execute("SELECT id, parse FROM articles WHERE parse IS NOT NULL AND id IN (SELECT unnest(?))", [ids])
            .fetchall()
        )
        return {i: bytes(p) for i, p in rows}

    def story_articles(self, story_id: str) -> list[Article]:
        """The cleaned articles of one story (``s12`` or ``12``), oldest first."""
        number = story_id.removeprefix("s")
        if not number.isdigit():
            raise StorylensError(f"no story {story_id!r}; story ids look like s12 (see `storylens stories list`)")
        rows = (
            self.con.cursor()
            .execute(
                "SELECT a.id, a.outlet, a.title, a.url, a.published, a.text, a.cleaning, a.source "
                "FROM stories s JOIN articles a ON a.key = s.article_key WHERE s.story = ? "
                "ORDER BY a.published NULLS LAST, a.id",
                [int(number)],
            )
            .fetchall()
        )
        if not rows:
            raise StorylensError(f"no story {story_id!r} in this store (see `storylens stories list`)")
        out = []
        for aid, outlet, title, url, published, text, cleaning, source in rows:
            edits = edits_from_json(json.loads(cleaning or "[]"))
            out.append(
                Article(
                    id=aid,
                    raw="",
                    text=text,
                    title=title,
                    outlet=outlet or aid,
                    url=url,
                    published=published,
                    source_path=source,
                    cleaning=edits,
                )
            )
        return out

    def story_headlines(self, story_ids: Iterable[str]) -> dict[str, list[tuple[str | None, str]]]:
        """Each story's articles' titles and first 200 characters of text, oldest first."""
        numbers = [int(s.removeprefix("s")) for s in story_ids if s.removeprefix("s").isdigit()]
        if not numbers:
            return {}
        order = "ORDER BY a.published NULLS LAST, a.id"
        rows = (
            self.con.cursor()
            .execute(
                f"SELECT s.story, list(a.title {order}), list(left(a.text, 200) {order}) "
                "FROM stories s JOIN articles a ON a.key = s.article_key WHERE s.story IN (SELECT unnest(?)) "
                "GROUP BY s.story",
                [numbers],
            )
            .fetchall()
        )
        return {f"s{story}": list(zip(titles, texts, strict=True)) for story, titles, texts in rows}
