"""Line-based sources (JSON Lines, CSV) as text, through the same decoding as
article files: a byte-order mark is obeyed, UTF-8 with a few bad bytes keeps its
good characters, another encoding is guessed once per file and said so."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storylens.clean.load import MAX_BYTES, _fallback_decode, bom_encoding, check_regular, display_name, mostly_utf8
from storylens.errors import InputError

# A BOM-declared file is read as text with the codec that finds the byte order itself.
_WIDE = {"utf-16-le": "utf-16", "utf-16-be": "utf-16", "utf-32-le": "utf-32", "utf-32-be": "utf-32"}


@dataclass(slots=True)
class Line:
    number: int
    text: str  # with its line ending; "" when ``error``
    note: str = ""  # how its bytes were decoded, when they were not clean UTF-8
    error: str = ""  # why it was not read (over the size limit)


def text_lines(path: Path, max_bytes: int = MAX_BYTES) -> Iterator[Line]:
    """Every line of ``path``, split at ``\\n`` only (a bare ``\\r`` is JSON
    whitespace or part of a CSV field, not a line break). A line over
    ``max_bytes`` is not decoded: it comes back with an ``error``. Raises
    InputError when the file is not a readable regular file."""
    name = display_name(path)
    check_regular(path, name)
    try:
        f = path.open("rb")
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror})") from None
    with f:
        declared = bom_encoding(f.read(4))
        f.seek(0)
        if declared is not None and declared[0] in _WIDE:
            yield from _wide_lines(f, _WIDE[declared[0]], name, max_bytes)
        else:
            yield from _byte_lines(f, name, max_bytes)


def _wide_lines(f: io.BufferedReader, encoding: str, name: str, max_bytes: int) -> Iterator[Line]:
    text = io.TextIOWrapper(f, encoding=encoding, errors="replace", newline="\n")
    for n, line in enumerate(text, 1):
        if len(line) * 2 > max_bytes:
            yield Line(n, "", error=f"{name}:{n}: line over the {max_bytes // 1_000_000} MB limit for one article")
            continue
        note = f"{name}:{n}: not valid {encoding}; bad bytes replaced with U+FFFD" if "\ufffd" in line else ""
        yield Line(n, line, note=note)


def _byte_lines(f: io.BufferedReader, name: str, max_bytes: int) -> Iterator[Line]:
    fallback = ""  # the encoding guessed at the first line that is not UTF-8, kept for the file
    n = 0
    while raw := f.readline(max_bytes + 1):
        n += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # the rest of an over-long line is skipped unread
            yield Line(n, "", error=f"{name}:{n}: line over the {max_bytes // 1_000_000} MB limit for one article")
            continue
        if n == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield Line(n, raw.decode("utf-8"))
            continue
        except UnicodeDecodeError as err:
            where = f"{name}:{n}: not valid UTF-8 (byte {err.start})"
        if mostly_utf8(raw):
            text = raw.decode("utf-8", errors="replace")
            yield Line(n, text, note=f"{where}; {text.count(chr(0xFFFD))} bad byte(s) replaced with U+FFFD")
            continue
        if not fallback:
            _, fallback = _fallback_decode(raw)
        try:
            text = raw.decode(fallback)
        except (UnicodeDecodeError, LookupError):
            text = raw.decode("utf-8", errors="replace")
        yield Line(n, text, note=f"{where}; decoded as {fallback}")
