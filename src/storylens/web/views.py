"""What each page shows, built from the comparison JSON (the API's shapes) and
the articles: plain data for the templates, no HTML here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storylens.align.quote_groups import word_diff
from storylens.model import Article, Resolution

CELL_LABELS = {
    "same": "reports it",
    "partial": "reports part",
    "omitted": "leaves out what most report",
    "absent": "not reported",
}
# Quote groups' statuses in a reader's words.
QUOTE_LABELS = {"verbatim": "same words", "variant": "worded differently", "single": "one outlet only"}


@dataclass(slots=True)
class Cell:
    status: str  # same | partial | omitted | absent
    text: str = ""
    start: int = -1
    end: int = -1


def matrix(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Claims × outlets: each cell is that outlet's own wording (or what it omits)."""
    articles = result["articles"]
    omitted = {a["id"]: set(a["omitted_claims"]) for a in articles}
    rows = []
    for c in result["claims"]:
        same = {o["article"]: o for o in c["occurrences"]}
        partial = {o["article"]: o for o in c["partial"]}
        cells = []
        for a in articles:
            if a["id"] in same:
                o = same[a["id"]]
                cells.append(Cell("same", o["text"], o["start"], o["end"]))
            elif a["id"] in partial:
                o = partial[a["id"]]
                cells.append(Cell("partial", o["text"], o["start"], o["end"]))
            elif c["id"] in omitted[a["id"]]:
                cells.append(Cell("omitted"))
            else:
                cells.append(Cell("absent"))
        n_same = sum(cell.status == "same" for cell in cells)
        if n_same == len(articles):
            kind = "all"
        elif n_same == 1 and not partial:
            kind = "only"
        else:
            kind = "some"
        rows.append(
            {
                "id": c["id"],
                "text": c["text"],
                "kind": kind,
                "partial": bool(partial),
                "omitted": any(cell.status == "omitted" for cell in cells),
                "cells": cells,
            }
        )
    order = {"all": 0, "some": 1, "only": 2}
    rows.sort(key=lambda r: (order[r["kind"]], -sum(c.status == "same" for c in r["cells"])))
    return rows


def quote_groups(result: dict[str, Any], reference: str | None) -> list[dict[str, Any]]:
    """Each quote group with every occurrence's word differences against the
    reference outlet's wording (its longest occurrence when it lacks one)."""
    out = []
    for q in result["quotes"]:
        occ = q["occurrences"]
        ref = next((o for o in occ if o["outlet"] == reference), None)
        named = ref is not None
        if ref is None:
            ref = max(occ, key=lambda o: len(o["text"]))
        rows = [
            {**o, "diff": [] if o is ref else word_diff(ref["text"], o["text"]), "is_reference": o is ref} for o in occ
        ]
        out.append({**q, "reference": ref["outlet"], "reference_named": named, "rows": rows})
    return out


def entities(result: dict[str, Any], outlets: list[str]) -> list[dict[str, Any]]:
    """Entities with labels in two or more outlets first: the word-choice view."""
    rows = []
    for e in result["entities"]:
        rows.append({**e, "outlets_using": sum(1 for o in outlets if e["labels"].get(o))})
    rows.sort(key=lambda e: -e["outlets_using"])
    return rows


def highlighted(text: str, start: int, end: int) -> list[tuple[str, bool]]:
    """The text in pieces, the [start, end) one marked."""
    if not 0 <= start < end <= len(text):
        return [(text, False)]
    return [(text[:start], False), (text[start:end], True), (text[end:], False)]


def resolved_pieces(text: str, edits: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any] | None]]:
    """The resolved text in pieces; replaced pieces carry their edit."""
    pieces: list[tuple[str, dict[str, Any] | None]] = []
    pos = 0
    for e in sorted(edits, key=lambda e: e["start"]):
        pieces.append((text[pos : e["start"]], None))
        pieces.append((e["replacement"], e))
        pos = e["end"]
    pieces.append((text[pos:], None))
    return pieces


def lede(text: str, limit: int = 320) -> str:
    """The article's first paragraph, cut at a word near ``limit`` characters."""
    first = next((p.strip() for p in text.split("\n") if p.strip()), "")
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + " …"


def article_details(res: Resolution) -> dict[str, Any]:
    """What the article page needs, as plain data that can be stored and read
    back after a restart."""
    a: Article = res.article
    return {
        "id": a.id,
        "outlet": a.outlet,
        "title": a.title,
        "date": a.published,
        "text": a.text,
        "edits": [
            {"start": e.start, "end": e.end, "original": e.original, "replacement": e.replacement} for e in res.edits
        ],
        "removed": [
            {"rule": e.rule or "cleaning", "original": e.original, "replacement": e.replacement, "start": e.start}
            for e in a.cleaning
        ],
    }
