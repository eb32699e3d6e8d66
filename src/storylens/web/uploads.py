"""Articles a user pastes or uploads, checked and loaded by the one loader (``collect``).

Uploads are written to a private temporary folder under safe names and read
back through ``clean.sources.collect``, so the web app accepts exactly what the
CLI accepts and refuses it with the same messages.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from storylens.clean.load import MAX_BYTES
from storylens.clean.sources import ARTICLE_SUFFIXES, Collected, collect


@dataclass(frozen=True, slots=True)
class UploadLimits:
    min_articles: int = 2
    max_articles: int = 20
    max_bytes: int = MAX_BYTES  # per article, as for files on the command line
    max_total_bytes: int = 20 * 1024 * 1024
    max_outlet_chars: int = 80


DEFAULT = UploadLimits()


class UploadError(Exception):
    """A request the user can fix: the HTTP status and a message for them."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(slots=True)
class Piece:
    """One article as submitted: a file's bytes or pasted text, and its outlet."""

    name: str
    data: bytes
    outlet: str = ""
    size: int | None = None  # the whole upload's, when only its first bytes were read
    date: str = ""  # publication date as the user gave it


def mib(n: float) -> str:
    """Bytes in binary megabytes, as the limits are set: 5 MiB, 6.3 MiB."""
    value = n / 2**20
    return f"{value:.0f} MiB" if value == int(value) else f"{value:.1f} MiB"


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _safe_name(name: str, n: int) -> str:
    stem = Path(name).name or "article"
    suffix = Path(stem).suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        suffix = ".txt"
    base = _UNSAFE.sub("_", Path(stem).stem)[:40].strip("._") or "article"
    return f"{n:02d}_{base}{suffix}"


def check(pieces: list[Piece], limits: UploadLimits = DEFAULT) -> list[Piece]:
    """Refuse what cannot become a comparison, before any work; returns the
    pieces that hold anything."""
    pieces = [p for p in pieces if p.data.strip()]
    if len(pieces) < limits.min_articles:
        raise UploadError(422, f"give at least {limits.min_articles} articles (got {len(pieces)})")
    if len(pieces) > limits.max_articles:
        raise UploadError(413, f"at most {limits.max_articles} articles per comparison (got {len(pieces)})")
    for p in pieces:
        size = max(len(p.data), p.size or 0)
        if size > limits.max_bytes:
            raise UploadError(
                413, f"{_short(p.name)}: {mib(size)} is over the {mib(limits.max_bytes)} limit per article"
            )
        if len(p.outlet) > limits.max_outlet_chars:
            raise UploadError(422, f"{_short(p.name)}: outlet name longer than {limits.max_outlet_chars} characters")
    total = sum(max(len(p.data), p.size or 0) for p in pieces)
    if total > limits.max_total_bytes:
        raise UploadError(413, f"{mib(total)} in all is over the {mib(limits.max_total_bytes)} limit")
    return pieces


def _short(name: str, limit: int = 80) -> str:
    """A file name fit for a message: very long ones cut in the middle."""
    return name if len(name) <= limit else name[: limit // 2] + "…" + name[-limit // 2 :]


def load(pieces: list[Piece], limits: UploadLimits = DEFAULT) -> Collected:
    """Clean every piece; problems (not English, too short, binary) are reported
    per article. Raises ``UploadError`` when fewer than two articles remain."""
    pieces = check(pieces, limits)
    with tempfile.TemporaryDirectory(prefix="storylens-upload-") as tmp:
        names = []
        outlets: dict[str, str] = {}
        for n, p in enumerate(pieces):
            name = _safe_name(p.name, n)
            (Path(tmp) / name).write_bytes(p.data)
            names.append(name)
            outlets[name] = p.outlet.strip() or Path(p.name).stem or f"article {n + 1}"
        collected = collect([Path(tmp) / n for n in names])
    given = dict(zip(names, pieces, strict=True))
    for a in collected.articles:
        name = Path(a.source_path or "").name
        a.outlet = outlets[name]
        a.source_path = given[name].name
        a.published = given[name].date or a.published
    if len(collected.articles) < limits.min_articles:
        raise UploadError(422, "fewer than two articles could be read: " + "; ".join(_without_tmp(collected.problems)))
    collected.problems = _without_tmp(collected.problems)
    return collected


def _without_tmp(problems: list[str]) -> list[str]:
    """Messages name the upload, not the temporary folder it passed through."""
    return [re.sub(r"/\S*storylens-upload-[^/\s]*/\d\d_", "", p) for p in problems]
