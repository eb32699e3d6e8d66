"""Every JSON shape storylens prints, built here and nowhere else (see docs/json.md).

``tests/test_json_shapes.py`` checks these against the examples in docs/json.md.
"""

from __future__ import annotations

import json
from typing import Any

from storylens.align.compare import Comparison
from storylens.align.entities import entity_labels
from storylens.align.quote_groups import word_diff
from storylens.model import Article, Claim, Cluster, Edit, Mention, Quote, Resolution


def edit_json(e: Edit) -> dict[str, Any]:
    return {"start": e.start, "end": e.end, "original": e.original, "replacement": e.replacement}


def cleaning_edit_json(e: Edit) -> dict[str, Any]:
    """A cleaning edit keeps the rule that made it."""
    return {**edit_json(e), "rule": e.rule}


def edits_from_json(rows: list[dict[str, Any]]) -> list[Edit]:
    """The inverse of ``edit_json`` / ``cleaning_edit_json`` (for stored edits)."""
    return [Edit(e["start"], e["end"], e["original"], e["replacement"], e.get("rule", "")) for e in rows]


def mention_json(m: Mention) -> dict[str, Any]:
    out: dict[str, Any] = {"start": m.start, "end": m.end, "text": m.text, "kind": m.kind}
    if m.extent != (m.start, m.end):
        out["extent"] = list(m.extent)
    return out


def cluster_json(c: Cluster) -> dict[str, Any]:
    return {"id": c.id, "canonical": c.canonical, "type": c.type, "mentions": [mention_json(m) for m in c.mentions]}


def quote_json(q: Quote) -> dict[str, Any]:
    return {
        "start": q.start,
        "end": q.end,
        "text": q.text,
        "kind": q.kind,
        "cue": q.cue or None,
        "cue_start": q.cue_start if q.cue else None,
        "cue_end": q.cue_end if q.cue else None,
        "speaker": q.speaker,
        "speaker_start": q.speaker_start if q.speaker_start >= 0 else None,
        "speaker_end": q.speaker_end if q.speaker_start >= 0 else None,
        "partial": q.partial,
    }


def claim_json(c: Claim) -> dict[str, Any]:
    return {"start": c.start, "end": c.end, "text": c.text, "resolved": c.resolved, "speaker": c.speaker}


def resolution_json(res: Resolution) -> dict[str, Any]:
    """`storylens resolve --json`."""
    return {
        "article": res.article.id,
        "text": res.article.text,
        "resolved": res.resolved,
        "clusters": [cluster_json(c) for c in res.clusters],
        "edits": [edit_json(e) for e in res.edits],
        "quotes": [quote_json(q) for q in res.quotes],
    }


def clean_json(article: Article) -> dict[str, Any]:
    """`storylens clean --json`."""
    return {
        "article": article.id,
        "title": article.title,
        "text": article.text,
        "removed": [{**edit_json(e), "rule": e.rule} for e in article.cleaning],
        "warnings": article.warnings,
    }


def comparison_json(cmp: Comparison) -> dict[str, Any]:
    """`storylens compare --json`."""
    outlet_of = cmp.outlet_of
    quotes = []
    for g in cmp.quotes:
        longest = max(g.segments, key=lambda s: len(s.text))
        quotes.append(
            {
                "id": g.id,
                "kind": g.kind,
                "speaker": g.speaker,
                "status": g.status,
                "outlets": sorted({outlet_of[a] for a in g.articles}),
                "occurrences": [
                    {
                        "article": s.article_id,
                        "outlet": outlet_of[s.article_id],
                        "start": s.start,
                        "end": s.end,
                        "text": s.text,
                        "kind": s.kind,
                        "diff": word_diff(longest.text, s.text) if s is not longest else [],
                    }
                    for s in g.segments
                ],
            }
        )
    return {
        "articles": [
            {
                "id": a.id,
                "outlet": outlet_of[a.id],
                "title": a.title,
                "url": a.url,
                "unique_claims": [g.id for g in cmp.unique_claims(a.id)],
                "omitted_claims": [g.id for g in cmp.omitted_claims(a.id)],
            }
            for a in cmp.articles
        ],
        "entities": [
            {"id": e.id, "canonical": e.canonical, "type": e.type, "labels": entity_labels(e, outlet_of)}
            for e in cmp.entities
        ],
        "quotes": quotes,
        "claims": [
            {
                "id": g.id,
                "text": g.text,
                "articles": g.articles,
                "speaker": next((c.speaker for c in g.claims if c.speaker), None),
                "occurrences": [
                    {"article": c.article_id, "start": c.start, "end": c.end, "text": c.text, "resolved": c.resolved}
                    for c in g.claims
                ],
                "partial": [
                    {"article": c.article_id, "start": c.start, "end": c.end, "text": c.text}
                    for c in g.partial
                    if c.article_id in g.partial_articles
                ],
            }
            for g in cmp.claims
        ],
        "framing": cmp.framing,
        "conflicts": cmp.conflicts,
        "problems": cmp.problems,
    }


def dumps(obj: Any, lines: bool = False) -> str:
    """Pretty JSON; with ``lines`` one compact line (for JSON Lines)."""
    if lines:
        return json.dumps(obj, ensure_ascii=False)
    return json.dumps(obj, ensure_ascii=False, indent=2)
