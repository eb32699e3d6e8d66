"""Read a file into an Article's raw text, refusing what cannot be an article."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from storylens.errors import InputError

# Articles are kilobytes; anything past this is a dump, not an article.
MAX_BYTES = 5 * 1024 * 1024
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


@dataclass(slots=True)
class Decoded:
    text: str
    is_html: bool
    warnings: list[str]


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > len(sample) * 0.05


def _fallback_decode(data: bytes) -> tuple[str, str]:
    # Web text that is not UTF-8 is nearly always Windows-1252; guess only when it is not.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("utf-8", errors="replace"), "UTF-8 with replacement characters"


# Byte-order marks, longest first (UTF-32 LE starts with UTF-16 LE's mark).
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark declares, and the mark's length."""
    for mark, encoding in BOMS:
        if data.startswith(mark):
            return encoding, len(mark)
    return None


def mostly_utf8(data: bytes) -> bool:
    """Whether bytes that fail strict UTF-8 are UTF-8 with a few bad or cut bytes:
    more well-formed multi-byte characters than bad bytes, or only the
    last character cut short. A Windows-1252 text has no well-formed ones."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    cut_at_end = bad == 1 and text.endswith("\ufffd")
    return cut_at_end or good > bad > 0


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """``data`` as text, and a note when it was not clean UTF-8 (else "")."""
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as err:
        if mostly_utf8(data):
            text = data.decode("utf-8", errors="replace")
            count = text.count("\ufffd")
            return text, f"{name}: not valid UTF-8 (byte {err.start}); {count} bad byte(s) replaced with U+FFFD"
        text, encoding = _fallback_decode(data)
        return text, f"{name}: not valid UTF-8 (byte {err.start}); decoded as {encoding}"


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    warnings: list[str] = []
    declared = bom_encoding(data)
    if declared is not None and declared[0] != "utf-8":
        encoding, skip = declared
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError as err:
            raise InputError(
                f"{name}: starts with a {encoding} byte-order mark but is not {encoding} (byte {err.start})"
            ) from None
        return text.replace("\r\n", "\n").replace("\r", "\n"), warnings
    if declared is not None:
        data = data[declared[1] :]
    text, note = decode_bytes(data, name)
    if note:
        warnings.append(note)
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def sniff_html(path: Path, text: str) -> bool:
    if path.suffix.lower() in HTML_SUFFIXES:
        return True
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def check_regular(path: Path, name: str) -> os.stat_result:
    """The file's status, refusing what is not a regular readable file: a device
    (``/dev/zero`` never ends) or a FIFO (waits for ever) is not an article."""
    try:
        st = path.stat()
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        try:
            next(os.scandir(path), None)
        except OSError as e:
            raise InputError(f"{name}: cannot read the folder ({e.strerror})") from None
        raise InputError(f"{name}: is a directory, not an article file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{name}: not a regular file (a device, FIFO or socket); give a file")
    return st


def read_regular(path: Path, name: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or a clear InputError."""
    size = check_regular(path, name).st_size
    if size > max_bytes:
        raise InputError(f"{name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit for one article")
    try:
        with path.open("rb") as f:
            return f.read(max_bytes + 1)
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror})") from None


def display_name(path: str | Path) -> str:
    """A path as text that can be printed and stored: bytes of a file name that are
    not UTF-8 are written as ``\\xff`` escapes (DuckDB and terminals refuse the
    lone surrogates Python keeps them as)."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def read_source(path: Path, max_bytes: int = MAX_BYTES) -> Decoded:
    name = display_name(path)
    if not path.exists() and not path.is_symlink():
        raise InputError(f"{name}: no such file")
    data = read_regular(path, name, max_bytes)
    if not data.strip():
        raise InputError(f"{name}: file is empty")
    if bom_encoding(data) is None and looks_binary(data):
        raise InputError(f"{name}: looks like a binary file, not text or HTML")
    text, warnings = decode(data, name)
    return Decoded(text=text, is_html=sniff_html(path, text), warnings=warnings)
