"""Heuristics that need a line's context: where it stands and what surrounds it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storylens.clean.rules import CONSENT, LINE_RULES, LINK_LIST_MARKERS

_SENTENCE_END = re.compile(r"[.!?…。！？][”’\"')\]」』]*$")
# Outlet names and section tags above an article are one or two words (`Blaze
# Media`, `Politics`); a line of three or more is more likely a short headline.
BANNER_MAX_WORDS = 2


# Chinese and Japanese are written without spaces: each ideograph or kana counts as a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def word_count(text: str) -> int:
    return len(text.split()) + len(_UNSPACED.findall(text))


@dataclass(slots=True)
class Line:
    start: int  # offset of the first character in raw text
    end: int  # offset just past the last character, before the newline
    text: str

    @property
    def words(self) -> int:
        return word_count(self.text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(raw: str) -> list[Line]:
    lines, pos = [], 0
    for part in raw.split("\n"):
        lines.append(Line(pos, pos + len(part), part))
        pos += len(part) + 1
    return lines


def match_line_rule(text: str) -> str | None:
    stripped = text.strip()
    for rule in LINE_RULES:
        if rule.pattern.fullmatch(stripped):
            return rule.name
    return None


def is_body(line: Line) -> bool:
    """A line of running prose rather than a heading, label or link."""
    return line.words >= 12 and bool(_SENTENCE_END.search(line.text.strip()))


def mark_top_banner(lines: list[Line], removed: dict[int, str]) -> None:
    """Short label lines above the first prose (outlet names, section tags)."""
    for i, line in enumerate(lines):
        if line.blank or i in removed:
            continue
        if is_body(line) or line.words > BANNER_MAX_WORDS or _SENTENCE_END.search(line.text.strip()):
            return
        removed[i] = "top_banner"


def find_headline(lines: list[Line], removed: dict[int, str]) -> int | None:
    """The first kept line, when it reads as a headline standing over prose."""
    kept = [i for i, ln in enumerate(lines) if not ln.blank and i not in removed]
    if len(kept) < 2:
        return None
    first = lines[kept[0]]
    text = first.text.strip()
    if not 3 <= first.words <= 25 or text.endswith((".", ",", ";", ":")):
        return None
    if text[:1] in "“\"‘'" or not text[:1].isupper():
        return None
    if first.words >= 12 and _SENTENCE_END.search(text):
        return None
    return kept[0]


def mark_poll_questions(lines: list[Line], removed: dict[int, str]) -> None:
    """A bare question line directly above a poll-consent line is the poll."""
    for i, line in enumerate(lines):
        if not CONSENT.search(line.text):
            continue
        j = i - 1
        while j >= 0 and lines[j].blank:
            j -= 1
        if j >= 0 and j not in removed:
            q = lines[j].text.strip()
            if q.endswith("?") and lines[j].words <= 20 and q[:1] not in "“\"‘'":
                removed[j] = "poll_question"


def mark_trailing_links(lines: list[Line], removed: dict[int, str]) -> None:
    """A "Most recent"/"Related" heading in the last part of the page and the
    headline links under it: removed only when nothing after it is prose."""
    content = [i for i, ln in enumerate(lines) if not ln.blank]
    if not content:
        return
    half = content[len(content) // 2]
    for i in content:
        if i < half or i in removed:
            continue
        if not LINK_LIST_MARKERS.fullmatch(lines[i].text.strip()):
            continue
        tail = [j for j in content if j > i]
        if all(lines[j].words <= 25 and not is_body(lines[j]) for j in tail):
            removed[i] = "link_list"
            for j in tail:
                removed.setdefault(j, "link_list")
            return
