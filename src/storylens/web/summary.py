"""The findings a reader wants before the matrix: what all outlets report, what
each alone reports and what central facts each leaves out, each with evidence.

``summary_of`` returns the comparison's own ``summary`` when the comparison JSON
carries one; until then it derives the same shape from today's fields
(``articles[].unique_claims`` / ``omitted_claims`` and ``claims[].articles``),
so the pages never depend on which of the two they were given.
"""

from __future__ import annotations

from typing import Any


def _evidence(claim: dict[str, Any], outlet_of: dict[str, str], article: str | None = None) -> list[dict[str, Any]]:
    """The claim's statements, one per article (the first), optionally for one article only."""
    seen: set[str] = set()
    out = []
    for o in claim.get("occurrences", []):
        if o["article"] in seen or (article is not None and o["article"] != article):
            continue
        seen.add(o["article"])
        out.append(
            {
                "article": o["article"],
                "outlet": o.get("outlet") or outlet_of.get(o["article"], o["article"]),
                "start": o["start"],
                "end": o["end"],
                "text": o["text"],
            }
        )
    return out


def _label(claim: dict[str, Any]) -> str:
    return str(claim.get("label") or claim.get("text") or "")


def summary_of(data: dict[str, Any]) -> dict[str, Any]:
    """The comparison's summary: ``data["summary"]`` when present, else derived."""
    if isinstance(data.get("summary"), dict):
        return data["summary"]
    articles = data.get("articles", [])
    outlet_of = {a["id"]: a["outlet"] for a in articles}
    claims = {c["id"]: c for c in data.get("claims", [])}
    everyone = set(outlet_of)
    all_report = [
        {"fact": c["id"], "label": _label(c), "evidence": _evidence(c, outlet_of)}
        for c in claims.values()
        if everyone and everyone <= set(c.get("articles", []))
    ]
    by_outlet = []
    for a in articles:
        only = [claims[g] for g in a.get("unique_claims", []) if g in claims]
        missing = [claims[g] for g in a.get("omitted_claims", []) if g in claims]
        by_outlet.append(
            {
                "article": a["id"],
                "outlet": a["outlet"],
                "only_here": [
                    {"fact": c["id"], "label": _label(c), "evidence": _evidence(c, outlet_of, a["id"])} for c in only
                ],
                "leaves_out": [
                    {
                        "fact": c["id"],
                        "label": _label(c),
                        "confidence": None,
                        "reported_by": [outlet_of[x] for x in c.get("articles", []) if x in outlet_of],
                        "evidence": _evidence(c, outlet_of)[:1],
                    }
                    for c in missing
                ],
            }
        )
    return {
        "outlets": len(articles),
        "all_report": all_report,
        "by_outlet": by_outlet,
        "conflicts": list(data.get("conflicts", [])),
    }


def differing_quotes(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Quotes more than one outlet carries in different words."""
    return [q for q in data.get("quotes", []) if q.get("status") == "variant"]


def naming(data: dict[str, Any], limit: int = 6) -> list[dict[str, Any]]:
    """The people and groups named differently across outlets, most outlets
    first: each outlet's most frequent label, with its first occurrence."""
    outlets = [a["outlet"] for a in data.get("articles", [])]
    rows = []
    for e in data.get("entities", []):
        labels = e.get("labels", {})
        per: dict[str, dict[str, Any]] = {}
        for o in outlets:
            best = max(
                (lab for lab in labels.get(o, []) if lab.get("kind") != "pronoun"),
                key=lambda lab: lab.get("count", 0),
                default=None,
            )
            if best is not None:
                occ = (best.get("occurrences") or [{}])[0]
                per[o] = {"text": best["text"], "count": best.get("count", 0), **occ}
        if len(per) >= 2 and len({v["text"].lower() for v in per.values()}) > 1:
            rows.append({"id": e["id"], "canonical": e["canonical"], "type": e.get("type"), "labels": per})
    rows.sort(key=lambda r: -len(r["labels"]))
    return rows[:limit]
