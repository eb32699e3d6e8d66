"""Non-overlapping span edits on a string, and the offset map they imply.

Cleaning and resolved-text rendering both express their work as edits, so the
same code applies them, reverts them and maps offsets between the two texts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

from storylens.model import Edit


def check_edits(text: str, edits: Sequence[Edit]) -> list[Edit]:
    """Return ``edits`` sorted by position; raise if they overlap or lie."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    last_end = -1
    for e in ordered:
        if not 0 <= e.start <= e.end <= len(text):
            raise ValueError(f"edit {e.start}:{e.end} outside text of length {len(text)}")
        if text[e.start : e.end] != e.original:
            raise ValueError(f"edit {e.start}:{e.end} original {e.original!r} does not match text")
        if e.start < last_end or (e.start == last_end and e.start == e.end):
            raise ValueError(f"edit {e.start}:{e.end} overlaps the previous edit")
        last_end = e.end
    return ordered


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    parts: list[str] = []
    pos = 0
    for e in check_edits(text, list(edits)):
        parts.append(text[pos : e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def target_edits(edits: Iterable[Edit]) -> list[Edit]:
    """The same edits expressed on the edited text, for reverting it."""
    out: list[Edit] = []
    shift = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        start = e.start + shift
        out.append(Edit(start, start + len(e.replacement), e.replacement, e.original, e.rule))
        shift += len(e.replacement) - (e.end - e.start)
    return out


def revert_edits(edited: str, edits: Iterable[Edit]) -> str:
    """Give back the source text from the edited text and the source-side edits."""
    return apply_edits(edited, target_edits(edits))


class OffsetMap:
    """Maps character offsets between a source text and its edited version.

    An offset inside an edited span maps to the start of that span on the other
    side; every other offset maps exactly.
    """

    def __init__(self, edits: Iterable[Edit]) -> None:
        ordered = sorted(edits, key=lambda e: (e.start, e.end))
        self._src = [(e.start, e.end) for e in ordered]
        self._dst = [(e.start, e.end) for e in target_edits(ordered)]

    @staticmethod
    def _map(offset: int, frm: list[tuple[int, int]], to: list[tuple[int, int]]) -> int:
        i = bisect_right(frm, (offset, float("inf"))) - 1
        if i < 0:
            return offset
        _, f_end = frm[i]
        t_start, t_end = to[i]
        if offset < f_end:
            return t_start
        return t_end + (offset - f_end)

    def to_target(self, offset: int) -> int:
        return self._map(offset, self._src, self._dst)

    def to_source(self, offset: int) -> int:
        return self._map(offset, self._dst, self._src)


def marked_span(text: str, edits: Iterable[Edit], start: int, end: int) -> str:
    """``text[start:end]`` with the edits inside it applied, each inserted name
    in brackets (`[Michael Flynn] resigned`) so a reader sees what was added;
    an edit that already brackets its addition (inside quotations) is kept as it is."""
    parts: list[str] = []
    pos = start
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < start or e.end > end or e.start < pos:
            continue
        parts.append(text[pos : e.start])
        parts.append(e.replacement if "[" in e.replacement else f"[{e.replacement}]")
        pos = e.end
    parts.append(text[pos:end])
    return "".join(parts)
