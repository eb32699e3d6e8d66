"""`storylens ingest`: stream an archive into the store, resumably.

Inputs stream through in batches: read, clean and deduplicate here, run the
per-article stages (``engine.stages``) on an executor (local processes or
Ray), then one transaction per batch. A rerun of the same command skips every
key the store already holds, so after a kill at any moment each input ends up
stored exactly once with complete results.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from storylens.clean import MAX_BYTES, load_article
from storylens.clean.lines import text_lines
from storylens.clean.load import check_regular, display_name
from storylens.clean.sources import (
    ARTICLE_SUFFIXES,
    JSONL_SUFFIXES,
    article_from_record,
    content_hash,
    expand,
    jsonl_records,
)
from storylens.engine.executors import Executor, make_executor
from storylens.engine.stages import ResolveStage, Stage, StageStats, Work
from storylens.errors import InputError, StorylensError
from storylens.store.db import Store, connect, literal_path
from storylens.store.near_dups import NearDuplicates
from storylens.store.warc import is_warc, read_warc

BATCH = 32
INGEST_SUFFIXES = ARTICLE_SUFFIXES | JSONL_SUFFIXES | {".csv", ".parquet", ".warc", ".gz"}
# Column names of common news dumps (the "All the News" CSVs use publication,
# date and content), mapped to the JSONL fields.
CSV_COLUMNS = {"publication": "outlet", "date": "published", "content": "text", "body": "text"}


@dataclass(slots=True)
class Summary:
    stored: int = 0
    duplicates: int = 0
    near_duplicates: int = 0  # stored, and marked as near-copies of an earlier article
    errors: int = 0
    already_done: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    stages: StageStats = field(default_factory=StageStats)


def _record_input(data: object, where: str, note: str = "") -> Work:
    key = str(data.get("id")) if isinstance(data, dict) and data.get("id") not in (None, "") else ""
    if not _encodable(key):
        key = ""  # a lone surrogate in the id: the record's own check below names it
    try:
        article = article_from_record(data, where)
    except StorylensError as e:
        return Work(key or f"error:{where}", where, error=str(e), stage="load")
    article.id = key or f"sha1-{content_hash(article.text)}"
    if note:
        article.warnings.append(note)
    return Work(article.id, where, article)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_inputs(sources: Iterable[str | Path]) -> Iterator[Work]:
    """Every article in ``sources`` (folders, .txt/.html files, JSONL, CSV, WARC), one at a time."""
    for path in expand(sources, INGEST_SUFFIXES):
        yield from read_file(path)


def estimate_count(sources: Iterable[str | Path]) -> int | None:
    """How many articles ``sources`` hold, for a progress bar's ETA, read cheaply:
    files and JSONL lines are counted, CSV rows parsed, Parquet row counts read
    from the footer. None when a WARC is among them (counting it means reading it).
    A file that cannot be read counts as one input (it becomes one problem)."""
    total = 0
    for path in expand(sources, INGEST_SUFFIXES):
        suffix = path.suffix.lower()
        if is_warc(path):
            return None
        try:
            if suffix == ".jsonl":
                total += sum(1 for line in text_lines(path) if line.error or line.text.strip())
            elif suffix == ".csv":
                total += sum(1 for _ in _csv_rows(path, display_name(path), []))
            elif suffix == ".parquet":
                total += _parquet_count(path)
            else:
                total += 1
        except (InputError, OSError):
            total += 1
    return total


def _parquet_count(path: Path) -> int:
    import duckdb

    try:
        return connect().execute("SELECT count(*) FROM read_parquet(?)", [literal_path(path)]).fetchone()[0]
    except duckdb.Error:
        return 1


def read_file(path: Path, name: str | None = None) -> Iterator[Work]:
    """Every article in one source file, read and cleaned; ``name`` is how to
    call the file in sources and messages (when ``path`` is a local copy).
    A file that cannot be read is one problem; its neighbours go on."""
    suffix = path.suffix.lower()
    label = name or display_name(path)
    if is_warc(path):
        yield from _renamed(read_warc(path), display_name(path), label)
    elif suffix == ".gz":
        yield Work(f"error:{label}", label, error=f"{label}: a .gz that is not .warc.gz", stage="load")
    elif suffix == ".jsonl":
        for where, data, problem, note in jsonl_records(path, label):
            if problem:
                yield Work(f"error:{where}", where, error=problem, stage="load")
            else:
                yield _record_input(data, where, note)
    elif suffix == ".parquet":
        yield from _parquet(path, label)
    elif suffix == ".csv":
        yield from _csv(path, label)
    else:
        try:
            article = load_article(path)
        except StorylensError as e:
            yield Work(f"error:{label}", label, error=str(e).replace(display_name(path), label), stage="load")
            return
        article.id = f"sha1-{content_hash(article.text)}"
        article.source_path = label
        article.outlet = article.outlet or Path(label).stem  # a file names no outlet; its name reads better than a hash
        yield Work(article.id, label, article)


def _csv_rows(path: Path, label: str, notes: list[str]) -> Iterator[tuple[int, dict[str, str] | None, str]]:
    """(row number, record or None, problem) per CSV row, decoded as every reader
    decodes. Quotes are parsed strictly: an unterminated quote would swallow the
    rows after it into one field, so it is reported and the file read no further."""
    csv.field_size_limit(MAX_BYTES)
    too_long: list[str] = []

    def lines() -> Iterator[str]:
        for line in text_lines(path):
            if line.error:
                too_long.append(line.error.replace(display_name(path), label))
                return
            if line.note:
                notes.append(line.note.replace(display_name(path), label))
            yield line.text

    reader = csv.DictReader(lines(), strict=True)
    n = 1
    try:
        for n, row in enumerate(reader, 2):
            record = {CSV_COLUMNS.get(k.strip().lower(), k.strip().lower()): v for k, v in row.items() if k}
            yield n, {k: v for k, v in record.items() if v not in (None, "")}, ""
    except csv.Error as e:
        yield (
            n + 1,
            None,
            (f"{label}:{n + 1}: malformed CSV from line {reader.line_num} ({e}); the rows from there on were not read"),
        )
    if too_long:
        yield n + 1, None, too_long[0] + "; the rows from there on were not read"


def _csv(path: Path, label: str) -> Iterator[Work]:
    notes: list[str] = []
    try:
        for n, record, problem in _csv_rows(path, label, notes):
            where = f"{label}:{n}"
            if problem:
                yield Work(f"error:{where}", where, error=problem, stage="load")
            else:
                yield _record_input(record, where, "; ".join(notes))
            notes.clear()
    except InputError as e:
        yield Work(f"error:{label}", label, error=str(e).replace(display_name(path), label), stage="load")


def _parquet(path: Path, label: str) -> Iterator[Work]:
    """Rows of a Parquet file with the JSONL fields (or the CSV dumps' column names),
    read by DuckDB a chunk at a time. Values go to the record's checks as they are:
    binary, a list or a struct where text belongs is refused with the field named."""
    import duckdb

    try:
        check_regular(path, label)
        cur = connect().execute("SELECT * FROM read_parquet(?)", [literal_path(path)])
    except InputError as e:
        yield Work(f"error:{label}", label, error=str(e), stage="load")
        return
    except duckdb.Error as e:
        yield Work(f"error:{label}", label, error=f"{label}: not a readable Parquet file ({e})", stage="load")
        return
    names = [CSV_COLUMNS.get(d[0].strip().lower(), d[0].strip().lower()) for d in cur.description]
    n = 0
    while rows := cur.fetchmany(1000):
        for row in rows:
            n += 1
            record = {k: v.isoformat() if isinstance(v, date) else v for k, v in zip(names, row, strict=True)}
            record = {k: v for k, v in record.items() if v not in (None, "")}
            yield _record_input(record, f"{label}:{n}")


def _renamed(items: Iterator[Work], old: str, new: str) -> Iterator[Work]:
    for w in items:
        if old != new:
            w.source, w.error = w.source.replace(old, new), w.error.replace(old, new)
            w.key = w.key.replace(old, new)
            if w.article is not None:
                w.article.source_path = (w.article.source_path or "").replace(old, new)
        yield w


def _batches(items: Iterator[Work], size: int) -> Iterator[list[Work]]:
    batch: list[Work] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def default_stages() -> list[Stage]:
    """The per-article stages of ingest, after reading and cleaning."""
    return [ResolveStage(batch_size=8, claims=True)]


def ingest(
    sources: Iterable[str | Path],
    store: Store,
    workers: int = 1,
    batch: int = BATCH,
    on_batch: Callable[[int], None] | None = None,
    engine: str = "local",
    address: str | None = None,
    executor: Executor | None = None,
) -> Summary:
    """Clean, resolve and store every input not yet in ``store``: on the local
    engine, on Ray Data (``engine="ray"``: reading, cleaning and the stages on the
    cluster, results through Parquet shards), or on the ``executor`` given
    (already entered; batches go through it from here)."""
    if engine == "ray" and executor is None:
        from storylens.engine.ray_data import ingest_ray_data

        return ingest_ray_data(sources, store, default_stages(), workers, address, batch, on_batch)
    seen = Seen(store)
    summary = Summary()
    if executor is not None:
        _ingest_all(sources, executor, store, seen, summary, batch, on_batch)
        return summary
    with make_executor(engine, default_stages(), workers, address) as ex:
        _ingest_all(sources, ex, store, seen, summary, batch, on_batch)
    return summary


class Seen:
    """What is already handled: the store answers a batch's keys and text hashes
    (so the driver's memory does not grow with the archive); what this run has
    triaged but not yet written is held here until ``written``."""

    def __init__(self, store: Store, near: NearDuplicates | None = None) -> None:
        self.store = store
        self.near = near or NearDuplicates(stored=store.near_candidates)
        self._keys: dict[str, str] = {}  # key -> text hash
        self._hashes: dict[str, str] = {}  # text hash -> key

    def keys(self, keys: list[str]) -> dict[str, tuple[str, bool]]:
        """Those of ``keys`` handled before: key -> (text hash or "", whether this run handled it)."""
        found = self.store.known(keys)
        found.update((k, (self._keys[k], True)) for k in keys if k in self._keys)
        return found

    def holders(self, hashes: list[str]) -> dict[str, str]:
        """Text hash -> key of the article kept with that text, for those of ``hashes`` kept."""
        found = self.store.holders(hashes)
        found.update((h, self._hashes[h]) for h in hashes if h in self._hashes)
        return found

    def hold(self, key: str, text_hash: str = "", kept: bool = False) -> None:
        self._keys[key] = text_hash
        if kept:
            self._hashes[text_hash] = key

    def written(self, items: Iterable[Work], duplicates: Iterable[tuple[str, str, str]]) -> None:
        """These are in the store now: it answers for them."""
        for w in items:
            self._keys.pop(w.key, None)
            if w.text_hash and self._hashes.get(w.text_hash) == w.key:
                del self._hashes[w.text_hash]
        for key, _, _ in duplicates:
            self._keys.pop(key, None)
        self.near.written([w.key for w in items])


def _ingest_all(
    sources: Iterable[str | Path],
    executor: Executor,
    store: Store,
    seen: Seen,
    summary: Summary,
    batch: int,
    on_batch: Callable[[int], None] | None,
) -> None:
    # Batches are triaged in input order as the executor asks for them (it may
    # run one ahead), and each is stored in one transaction when it comes back.
    waiting: deque[tuple[int, list[Work], list[tuple[str, str, str]]]] = deque()

    def todo() -> Iterator[list[Work]]:
        for group in _batches(read_inputs(sources), batch):
            new, failed, duplicates = triage(group, seen, summary)
            waiting.append((len(group), failed, duplicates))
            yield new

    for processed, stats in executor.stream(todo()):
        size, failed, duplicates = waiting.popleft()
        summary.stages.add(stats)
        store.write(failed + processed, duplicates)
        seen.written(failed + processed, duplicates)
        count(failed + processed, duplicates, summary)
        if on_batch is not None:
            on_batch(size)


def count(stored: list[Work], duplicates: list[tuple[str, str, str]], summary: Summary) -> None:
    for w in stored:
        if w.resolution is None and w.error:
            summary.errors += 1
            summary.by_stage[w.stage] = summary.by_stage.get(w.stage, 0) + 1
        else:
            summary.stored += 1
    summary.duplicates += len(duplicates)


def triage(
    group: list[Work], seen: Seen, summary: Summary
) -> tuple[list[Work], list[Work], list[tuple[str, str, str]]]:
    """Split a batch, in input order, into (new articles to process, inputs that
    failed to load or reuse an id, duplicates as (key, source, same_as));
    inputs already stored are counted and dropped. Near-copies are marked."""
    hashed = [item.text_hash or (content_hash(item.article.text) if item.article is not None else "") for item in group]
    known = seen.keys([k for item in group for k in (item.key, f"{item.key}#{item.source}")])
    holders = seen.holders(sorted({h for h in hashed if h}))
    todo: list[Work] = []
    duplicates: list[tuple[str, str, str]] = []
    failed: list[Work] = []
    for item, h in zip(group, hashed, strict=True):
        if item.key in known:
            old_hash, this_run = known[item.key]
            repeat = f"{item.key}#{item.source}"
            if h and old_hash and old_hash != h:
                # The same id for another text: report it, never merge it.
                if repeat not in known:
                    known[repeat] = ("", True)
                    seen.hold(repeat)
                    reason = f"{item.source}: id '{item.key}' is already used by another article; not stored"
                    failed.append(Work(repeat, item.source, error=reason, stage="load"))
                continue
            if this_run and repeat not in known:
                # Met twice in this run: a duplicate, not earlier work.
                known[repeat] = ("", True)
                seen.hold(repeat)
                duplicates.append((repeat, item.source, item.key))
                continue
            summary.already_done += 1
            continue
        known[item.key] = (h, True)
        if item.article is None:
            seen.hold(item.key, h)
            failed.append(item)
            continue
        if h in holders:
            seen.hold(item.key, h)
            duplicates.append((item.key, item.source, holders[h]))
            continue
        holders[h] = item.key
        seen.hold(item.key, h, kept=True)
        item.text_hash = h
        todo.append(item)
    # Near-copies in one go: one question to the store for the whole batch.
    found = seen.near.find_many([(w.key, w.article.text) for w in todo if w.article is not None])
    for item, (original, item.signature) in zip(todo, found, strict=True):
        item.near_duplicate_of = original or ""
        summary.near_duplicates += bool(original)
    return todo, failed, duplicates
