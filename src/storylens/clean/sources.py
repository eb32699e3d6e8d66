"""The one loader: files, folders and JSON Lines in, clean articles with unique ids out.

Every command reads its inputs here, so `clean`, `resolve` and `compare` accept
the same things and treat duplicates, id clashes and bad records alike. A bad
input becomes a problem line; it never stops the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, ValidationError

from storylens.clean import clean_article, load_article
from storylens.clean.html import extract_html
from storylens.clean.lines import text_lines
from storylens.clean.load import MAX_BYTES, display_name
from storylens.errors import InputError, StorylensError
from storylens.model import Article

ARTICLE_SUFFIXES = {".txt", ".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl"}
# A JSONL record's source is `path:line`.
_RECORD = re.compile(r"\.jsonl:\d+$", re.IGNORECASE)


class Record(BaseModel):
    """One JSON Lines article. Strings must be strings: a list or number where a
    name belongs is an error to report, not a value to guess at."""

    model_config = ConfigDict(extra="ignore")

    id: StrictStr | StrictInt | None = None
    outlet: StrictStr | None = None
    title: StrictStr | None = None
    url: StrictStr | None = None
    published: StrictStr | None = None
    text: StrictStr | None = None
    html: StrictStr | None = None


@dataclass(slots=True)
class Collected:
    articles: list[Article] = field(default_factory=list)
    # Inputs that were not loaded, one line each: the user must hear of them.
    problems: list[str] = field(default_factory=list)
    # Loaded, but with something the user should know (an encoding guessed, an id changed).
    notes: list[str] = field(default_factory=list)

    @property
    def inputs(self) -> int:
        """Articles given: loaded, skipped or refused."""
        return len(self.articles) + len(self.problems)


def expand(inputs: Iterable[str | Path], suffixes: frozenset[str] | set[str] | None = None) -> list[Path]:
    """Files named, and the files inside folders named (recursively) whose suffix
    is an article's or JSONL's (or one of ``suffixes``)."""
    wanted = suffixes or ARTICLE_SUFFIXES | JSONL_SUFFIXES
    paths: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            paths.extend(_walk(p, wanted))
        else:
            paths.append(p)
    return paths


def _walk(folder: Path, wanted: frozenset[str] | set[str]) -> list[Path]:
    """The wanted files under ``folder``, sorted; a sub-folder that cannot be
    listed is returned itself, so that reading it reports it (never skipped
    silently)."""
    found: list[Path] = []
    unreadable: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=lambda e: unreadable.append(Path(e.filename))):
        dirs.sort()
        for f in files:
            q = Path(root, f)
            if q.suffix.lower() in wanted and (q.is_file() or not q.exists()):
                found.append(q)
    return sorted(found + unreadable)


def _validation_message(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        name = ".".join(str(x) for x in e["loc"][:1]) or "record"
        parts.append(f"field '{name}': {e['msg'].lower()}")
    return "; ".join(sorted(set(parts)))


def _surrogate_field(rec: Record) -> str | None:
    """The first field holding a lone surrogate (valid JSON, ``"\\udc80"``, but
    not text: it cannot be encoded to store or print)."""
    for name, value in rec:
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as e:
                return f"field '{name}': a lone surrogate (U+{ord(value[e.start]):04X}) at character {e.start}"
    return None


def article_from_record(data: object, where: str) -> Article:
    if not isinstance(data, dict):
        raise InputError(f"{where}: not a JSON object")
    try:
        rec = Record.model_validate(data)
    except ValidationError as e:
        raise InputError(f"{where}: {_validation_message(e)}") from None
    bad = _surrogate_field(rec)
    if bad:
        raise InputError(f"{where}: {bad}; not text")
    for name in ("text", "html"):
        value = getattr(rec, name)
        # Checked before extraction and cleaning, whose time and memory grow with the size.
        if value is not None and len(value) > MAX_BYTES:
            raise InputError(
                f"{where}: field '{name}' has {len(value):,} characters, over the "
                f"{MAX_BYTES // 1_000_000} MB limit for one article"
            )
    text, title, url, published = rec.text, rec.title, rec.url, rec.published
    if rec.html and not (text and text.strip()):
        extracted = extract_html(rec.html, where)
        text = extracted.text
        title, url, published = title or extracted.title, url or extracted.url, published or extracted.published
    if not text or not text.strip():
        raise InputError(f"{where}: no 'text' or 'html'")
    article = Article(
        id=str(rec.id) if rec.id is not None and str(rec.id).strip() else "",
        raw=text,
        title=title,
        outlet=rec.outlet,
        url=url,
        published=published,
        source_path=where,
    )
    return clean_article(article, where)


def _jsonl(path: Path, out: Collected) -> Iterator[Article]:
    """Articles from a JSON Lines file; bad lines go to ``out.problems``."""
    for where, data, problem, note in jsonl_records(path, display_name(path)):
        if note:
            out.notes.append(note)
        if problem:
            out.problems.append(problem)
            continue
        try:
            yield article_from_record(data, where)
        except StorylensError as e:
            out.problems.append(str(e))


def jsonl_records(path: Path, label: str) -> Iterator[tuple[str, object, str, str]]:
    """(where, parsed record, problem or "", decoding note or "") for each
    non-blank line of a JSON Lines file; an unreadable file is one problem."""
    try:
        for line in text_lines(path):
            where = f"{label}:{line.number}"
            if line.error:
                yield where, None, line.error.replace(display_name(path), label), ""
                continue
            if not line.text.strip():
                continue
            note = line.note.replace(display_name(path), label)
            try:
                yield where, json.loads(line.text), "", note
            except json.JSONDecodeError as e:
                yield where, None, f"{where}: invalid JSON ({e.msg})", note
    except InputError as e:
        yield label, None, str(e).replace(display_name(path), label), ""


def content_hash(text: str, length: int = 16) -> str:
    """A stable name for a text: the SHA-1 of its words, whitespace ignored, so a
    re-spaced copy is the same text."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:length]


def _path_names(a: Article) -> list[str]:
    """Ever longer names for a file article, from its file name to its whole path
    (`index.html`, `outlet1/index`, `outlet1/index.html`, ...); none for a JSONL record."""
    if not a.source_path or _RECORD.search(a.source_path):
        return []
    p = Path(a.source_path)
    out = [p.name]
    for k in range(2, len(p.parts) + 1):
        tail = p.parts[-k:]
        out += ["/".join((*tail[:-1], p.stem)), "/".join(tail)]
    return out


def _make_ids_unique(articles: list[Article], notes: list[str]) -> None:
    """Give every article a distinct id: its own where no other has it, else the
    shortest part of the path that tells the clashing files apart, else the id
    with a hash of the text. Every change is reported in ``notes``."""
    groups: dict[str, list[Article]] = {}
    for a in articles:
        groups.setdefault(a.id, []).append(a)
    taken = {i for i, g in groups.items() if len(g) == 1}
    for old, group in groups.items():
        if len(group) == 1:
            continue
        names = [_path_names(a) for a in group]
        hashed = [f"{old}-{content_hash(a.text, 8)}" for a in group]
        for level in range(max(len(n) for n in names)):
            pick = [n[min(level, len(n) - 1)] if n else h for n, h in zip(names, hashed, strict=True)]
            if len(set(pick)) == len(pick) and not set(pick) & taken:
                break
        else:
            pick = hashed
        for a, new in zip(group, pick, strict=True):
            a.id = new
            taken.add(new)
        shown = ", ".join(f"{a.source_path} -> '{a.id}'" for a in group)
        notes.append(f"id '{old}' was used by {len(group)} inputs; each now has its own: {shown}")


def collect(inputs: Iterable[str | Path], outlets: dict[str, str] | None = None) -> Collected:
    """Load every article named by ``inputs``; problems are collected, never raised.

    The outlet comes from the JSONL record, else ``outlets`` (keyed by article id,
    file name, or the path as typed), else the article id. An unknown key in
    ``outlets`` is an error, raised before any work.
    """
    out = Collected()
    loaded: list[Article] = []
    for p in expand(inputs):
        if p.suffix.lower() in JSONL_SUFFIXES and p.is_file():
            loaded.extend(_jsonl(p, out))
            continue
        try:
            article = load_article(p)
        except StorylensError as e:
            out.problems.append(str(e))
            continue
        out.notes.extend(article.warnings)
        loaded.append(article)
    seen: dict[str, str] = {}
    for a in loaded:
        a.id = a.id or f"sha1-{content_hash(a.text, 8)}"
        key = content_hash(a.text)
        if key in seen:
            out.problems.append(f"{a.source_path or a.id}: duplicate of {seen[key]} (same text); used once")
            continue
        seen[key] = a.source_path or a.id
        out.articles.append(a)
    _make_ids_unique(out.articles, out.notes)
    _name_outlets(out, outlets or {})
    return out


def _name_outlets(out: Collected, outlets: dict[str, str]) -> None:
    used: set[str] = set()
    for a in out.articles:
        keys = [a.id]
        if a.source_path:
            keys += [a.source_path, Path(a.source_path).name, str(Path(a.source_path).resolve())]
        hit = next((k for k in keys if k in outlets), None)
        if hit is not None:
            used.add(hit)
        a.outlet = (outlets[hit] if hit is not None else None) or a.outlet or a.id
    unknown = [k for k in outlets if k not in used]
    if unknown:
        raise StorylensError(
            "--outlet names no input: "
            + ", ".join(repr(k) for k in unknown)
            + "; use an article id, a file name or the path as typed ("
            + ", ".join(sorted(a.source_path or a.id for a in out.articles)[:6])
            + ")"
        )
    by_outlet: dict[str, list[str]] = {}
    for a in out.articles:
        by_outlet.setdefault(a.outlet or a.id, []).append(a.id)
    for outlet, ids in by_outlet.items():
        if len(ids) > 1:
            shown = ", ".join(ids)
            out.notes.append(f"outlet '{outlet}' has {len(ids)} articles ({shown}); framing counts them as one voice")
