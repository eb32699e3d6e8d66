"""Turn raw scraped text into clean article text, as a list of explained edits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storylens.clean.rules import INLINE_RULES
from storylens.clean.structure import (
    Line,
    find_headline,
    mark_poll_questions,
    mark_top_banner,
    mark_trailing_links,
    match_line_rule,
    split_lines,
)
from storylens.model import Edit
from storylens.textedit import apply_edits

_OPEN_BRACKET = re.compile(r"\[")


@dataclass(slots=True)
class Cleaned:
    text: str
    title: str | None
    edits: list[Edit]


def _line_edits(raw: str, lines: list[Line], removed: dict[int, str]) -> list[Edit]:
    """Remove each marked line with the newlines up to the next kept line."""
    edits: list[Edit] = []
    for i in sorted(removed):
        start = lines[i].start
        nxt = next((j for j in range(i + 1, len(lines)) if not lines[j].blank), None)
        end = lines[nxt].start if nxt is not None else len(raw)
        if all(j in removed or lines[j].blank for j in range(i, len(lines))):
            # Nothing kept below: also eat the newlines that separated us from the text above.
            while start > 0 and raw[start - 1] in "\n \t":
                start -= 1
            if any(e.end > start for e in edits):
                start = max(e.end for e in edits)
        if edits and edits[-1].end > start:
            start = edits[-1].end
        if start < end:
            edits.append(Edit(start, end, raw[start:end], "", removed[i]))
    return edits


def _unbalanced_brackets(line: Line) -> list[Edit]:
    """An opening ``[`` that never closes on its line is scraper debris."""
    edits = []
    text = line.text
    for m in _OPEN_BRACKET.finditer(text):
        close = text.find("]", m.end())
        reopen = text.find("[", m.end())
        if close == -1 or (reopen != -1 and reopen < close):
            pos = line.start + m.start()
            edits.append(Edit(pos, pos + 1, "[", "", "unbalanced_bracket"))
    return edits


def _inline_edits(lines: list[Line], removed: dict[int, str]) -> list[Edit]:
    edits: list[Edit] = []
    for i, line in enumerate(lines):
        if i in removed or line.blank:
            if line.blank and line.text and i not in removed:
                edits.append(Edit(line.start, line.end, line.text, "", "blank_line_space"))
            continue
        taken: list[tuple[int, int]] = []
        found: list[Edit] = []
        candidates = _unbalanced_brackets(line)
        for rule in INLINE_RULES:
            for m in rule.pattern.finditer(line.text):
                if m.start() == m.end() or m.group(0) == rule.replacement:
                    continue
                s, e = line.start + m.start(), line.start + m.end()
                candidates.append(Edit(s, e, m.group(0), rule.replacement, rule.name))
        for ed in candidates:  # earlier rules win where two would overlap
            if any(ed.start < b and a < ed.end for a, b in taken):
                continue
            taken.append((ed.start, ed.end))
            found.append(ed)
        edits.extend(found)
    return edits


def _blank_runs(raw: str) -> list[Edit]:
    """Collapse three or more newlines between kept lines to one blank line."""
    edits = []
    for m in re.finditer(r"\n(?:[ \t]*\n){2,}", raw):
        s, e = m.start(), m.end()
        edits.append(Edit(s, e, raw[s:e], "\n\n", "blank_lines"))
    return edits


def clean_text(raw: str) -> Cleaned:
    lines = split_lines(raw)
    removed: dict[int, str] = {}
    for i, line in enumerate(lines):
        if not line.blank and (name := match_line_rule(line.text)):
            removed[i] = name
    mark_top_banner(lines, removed)
    mark_poll_questions(lines, removed)
    mark_trailing_links(lines, removed)
    title = None
    headline = find_headline(lines, removed)
    if headline is not None:
        title = lines[headline].text.strip()
        removed[headline] = "headline"

    edits = _line_edits(raw, lines, removed)
    edits += _inline_edits(lines, removed)
    covered = [(e.start, e.end) for e in edits]
    for ed in _blank_runs(raw):
        if not any(ed.start < b and a < ed.end for a, b in covered):
            edits.append(ed)
    # Leading and trailing whitespace of the whole text.
    edits.sort(key=lambda e: e.start)
    text = apply_edits(raw, edits)
    lead = len(text) - len(text.lstrip())
    if lead and not any(e.start == 0 for e in edits) and raw[:lead].isspace():
        edits.insert(0, Edit(0, lead, raw[:lead], "", "leading_space"))
    text = apply_edits(raw, edits)
    tail = len(text) - len(text.rstrip())
    if tail and raw.endswith(text[len(text) - tail :]) and not any(e.end == len(raw) for e in edits):
        s = len(raw) - tail
        edits.append(Edit(s, len(raw), raw[s:], "", "trailing_space"))
        text = apply_edits(raw, edits)
    return Cleaned(text=text, title=title, edits=sorted(edits, key=lambda e: e.start))
