"""Read a file into an Article's raw text, refusing what cannot be an article."""

from __future__ import annotations

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
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        text, encoding = _fallback_decode(data)
        warnings.append(f"{name}: not valid UTF-8 (byte {err.start}); decoded as {encoding}")
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def sniff_html(path: Path, text: str) -> bool:
    if path.suffix.lower() in HTML_SUFFIXES:
        return True
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def read_source(path: Path, max_bytes: int = MAX_BYTES) -> Decoded:
    name = str(path)
    if not path.exists():
        raise InputError(f"{name}: no such file")
    if path.is_dir():
        raise InputError(f"{name}: is a directory, not an article file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit for one article")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{name}: file is empty")
    if bom_encoding(data) is None and looks_binary(data):
        raise InputError(f"{name}: looks like a binary file, not text or HTML")
    text, warnings = decode(data, name)
    return Decoded(text=text, is_html=sniff_html(path, text), warnings=warnings)
