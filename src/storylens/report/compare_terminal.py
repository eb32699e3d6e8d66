"""Terminal summary of a comparison: what all report, what one alone reports, quotes, labels."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from storylens.align.compare import Comparison
from storylens.align.entities import entity_labels
from storylens.report.terminal import plain

MAX_ROWS = 12


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def summary(cmp: Comparison) -> Group:
    outlet_of = cmp.outlet_of
    parts: list = []
    shared = [g for g in cmp.claims if len(g.articles) > 1 or g.partial_articles]
    t = Table(title="Reported by more than one outlet, in each outlet's words", show_lines=True)
    t.add_column("outlets")
    t.add_column("claim")
    for g in shared[:MAX_ROWS]:
        outlets = "all" if len(g.articles) == len(cmp.articles) else ", ".join(outlet_of[a] for a in g.articles)
        if g.partial_articles:
            outlets += "; in part: " + ", ".join(outlet_of[a] for a in g.partial_articles)
        partial = [c for c in g.partial if c.article_id in g.partial_articles]
        wordings = [f"{outlet_of[c.article_id]}: {_short(c.text, 100)}" for c in g.claims]
        wordings += [f"{outlet_of[c.article_id]} (in part): {_short(c.text, 100)}" for c in partial]
        t.add_row(plain(outlets), plain("\n".join(wordings)))
    if not shared:
        t.add_row("—", "no claim was matched across outlets")
    parts.append(t)

    t = Table(title="What each outlet alone reports / omits")
    t.add_column("outlet", style="bold")
    t.add_column("only here")
    t.add_column("most others report, this omits")
    for a in cmp.articles:
        only = "\n".join(f"• {_short(g.text, 90)}" for g in cmp.unique_claims(a.id)[:6])
        omitted = "\n".join(f"• {_short(g.text, 60)}" for g in cmp.omitted_claims(a.id)[:4])
        t.add_row(plain(outlet_of[a.id]), plain(only or "—"), plain(omitted or "—"))
    parts.append(t)

    if cmp.conflicts:
        t = Table(title="Where aligned claims disagree (a pointer, not a verdict)", show_lines=True)
        t.add_column("what", style="bold")
        t.add_column("each outlet's wording")
        for c in cmp.conflicts:
            what = c["kind"] + (f" ({c['of']})" if c["of"] else "")
            lines = [
                f"{outlet_of[a]} [{', '.join(c['values'].get(a, []))}]: {_short(text, 100)}"
                for a, text in c["wordings"].items()
            ]
            t.add_row(plain(what), plain("\n".join(lines)))
        parts.append(t)

    t = Table(title="Quotes across outlets")
    t.add_column("status")
    t.add_column("speaker")
    t.add_column("outlets")
    t.add_column("quote")
    for g in cmp.quotes[: MAX_ROWS * 2]:
        style = {"verbatim": "green", "variant": "yellow", "single": "dim"}[g.status]
        longest = max(g.segments, key=lambda s: len(s.text))
        outlets = ", ".join(sorted({outlet_of[a] for a in g.articles}))
        t.add_row(Text(g.status, style=style), plain(g.speaker or "?"), plain(outlets), plain(_short(longest.text, 80)))
    parts.append(t)

    t = Table(title="How each outlet names the main people")
    t.add_column("entity", style="bold")
    for a in cmp.articles:
        t.add_column(plain(outlet_of[a.id]))
    for e in [e for e in cmp.entities if e.type == "PERSON"][:8]:
        labels = entity_labels(e, outlet_of)
        cells = []
        for a in cmp.articles:
            ls = [f"{x['text']} ×{x['count']}" for x in labels.get(outlet_of[a.id], []) if x["kind"] != "pronoun"]
            cells.append("\n".join(ls[:4]) or "—")
        t.add_row(plain(e.canonical), *(plain(c) for c in cells))
    parts.append(t)

    t = Table(
        title="Framing: words each outlet uses more than the others do (weighted log-odds, quotes and names left out)"
    )
    t.add_column("outlet", style="bold")
    t.add_column("terms")
    for outlet, terms in cmp.framing.items():
        t.add_row(plain(outlet), plain(", ".join(x["term"] for x in terms) or "—"))
    parts.append(t)
    return Group(*parts)
