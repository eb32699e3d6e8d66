"""One self-contained HTML page for a comparison (no network needed to view it)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from storylens.align.compare import Comparison
from storylens.report.jsonout import comparison_json

TEMPLATE = "compare.html.j2"


def render_html(cmp: Comparison, title: str | None = None) -> str:
    data = comparison_json(cmp)
    people = [e for e in data["entities"] if e["type"] == "PERSON"]
    rendered = []
    for a in cmp.articles:
        spans = sorted((c.start, c.end) for g in cmp.unique_claims(a.id) for c in g.claims)
        pieces, pos = [], 0
        for s, e in spans:
            if s < pos:  # overlapping statements: the first one marks the text
                continue
            pieces += [(a.text[pos:s], False), (a.text[s:e], True)]
            pos = e
        pieces.append((a.text[pos:], False))
        rendered.append({"outlet": a.outlet or a.id, "title": a.title, "pieces": pieces})
    env = Environment(loader=PackageLoader("storylens.report"), autoescape=select_autoescape(default=True))
    return env.get_template(TEMPLATE).render(
        title=title or next((a.title for a in cmp.articles if a.title), "story comparison"),
        articles=data["articles"],
        claims=data["claims"],
        summary=data["summary"],
        cells={(v["fact"], v["article"]): v for v in data["verdicts"]},
        quotes=data["quotes"],
        entities=people,
        framing=data["framing"],
        rendered=rendered,
        problems=data["problems"],
    )
