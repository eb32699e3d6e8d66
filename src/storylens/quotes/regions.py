"""Find direct-quote regions by their marks, straight or curly, with nesting.

News text is messy: closing marks used as openers, quotes left open at a
paragraph end (the next paragraph reopens them), apostrophes that look like
single closing marks. The scanner is forgiving and never raises.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"


@dataclass(frozen=True, slots=True)
class QuoteRegion:
    start: int  # offset of the opening mark
    end: int  # offset just past the closing mark (or the paragraph end)
    depth: int  # 0 for a top-level quote, 1 for a quote inside a quote

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, max(self.start + 1, self.end - 1)


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def find_quotes(text: str) -> list[QuoteRegion]:
    regions: list[QuoteRegion] = []
    outer: int | None = None
    inner: int | None = None
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if ch == "\n" and nxt == "\n":
            if inner is not None and outer is not None:
                regions.append(QuoteRegion(inner, i, 1))
                inner = None
            if outer is not None:
                regions.append(QuoteRegion(outer, i, 0))
                outer = None
        elif ch in OPEN_DOUBLE or (ch in CLOSE_DOUBLE and outer is None and _is_word(nxt)):
            if outer is not None:  # an opener inside an open quote: the first was never closed
                regions.append(QuoteRegion(outer, i, 0))
            outer, inner = i, None
        elif ch in CLOSE_DOUBLE or (ch == '"' and outer is not None):
            if outer is not None:
                if inner is not None:
                    regions.append(QuoteRegion(inner, i, 1))
                    inner = None
                regions.append(QuoteRegion(outer, i + 1, 0))
                outer = None
        elif ch == '"':
            outer, inner = i, None
        elif (outer is not None and ch in "‘'" and not _is_word(prev) and _is_word(nxt)) or (
            outer is not None and ch == "‘"
        ):
            if inner is None:
                inner = i
        elif inner is not None and ch in "’'" and not _is_word(nxt) and prev != " ":
            # `Russians’ ` is possessive only when no single quote is open
            regions.append(QuoteRegion(inner, i + 1, 1))
            inner = None
        i += 1
    if outer is not None:
        regions.append(QuoteRegion(outer, n, 0))
    return sorted(regions, key=lambda r: (r.start, r.depth))


class QuoteIndex:
    """Answers "which top-level quote is this offset in?" in O(log n)."""

    def __init__(self, regions: list[QuoteRegion]) -> None:
        self.regions = [r for r in regions if r.depth == 0]
        self.nested = [r for r in regions if r.depth == 1]
        self._starts = [r.start for r in self.regions]

    def region_of(self, offset: int) -> int:
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self.regions[i].start <= offset < self.regions[i].end:
            return i
        return -1

    def in_nested(self, offset: int) -> bool:
        return any(r.start <= offset < r.end for r in self.nested)
