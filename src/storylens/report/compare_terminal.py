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


def findings(data: dict) -> list:
    """The summary every surface leads with: what all report, what each alone
    reports, what central facts each leaves out (from ``comparison_json``)."""
    summary = data["summary"]
    parts: list = []
    t = Table(title=f"Reported by all {summary['outlets']} outlets", show_header=False)
    t.add_column("fact")
    for item in summary["all_report"][:MAX_ROWS]:
        t.add_row(plain("• " + _short(item["label"], 120)))
    if not summary["all_report"]:
        t.add_row("— no fact is reported by every outlet")
    parts.append(t)
    t = Table(title="What each outlet alone reports, and the central facts it leaves out")
    t.add_column("outlet", style="bold")
    t.add_column("only here")
    t.add_column("leaves out (most others report it)")
    for o in summary["by_outlet"]:
        only = "\n".join(f"• {_short(x['label'], 90)}" for x in o["only_here"][:6])
        if len(o["only_here"]) > 6:
            only += f"\n… and {len(o['only_here']) - 6} more"
        left = "\n".join(f"• {_short(x['label'], 60)}" for x in o["leaves_out"][:5])
        t.add_row(plain(o["outlet"]), plain(only or "—"), plain(left or "—"))
    parts.append(t)
    return parts


def summary(cmp: Comparison) -> Group:
    from storylens.report.jsonout import comparison_json

    outlet_of = cmp.outlet_of
    data = comparison_json(cmp)
    parts: list = findings(data)
    shared = [f for f in data["claims"] if len(f["articles"]) > 1]
    t = Table(title="Facts more than one outlet reports, in each outlet's words", show_lines=True)
    t.add_column("fact")
    t.add_column("outlets")
    t.add_column("wordings")
    for f in shared[:MAX_ROWS]:
        outlets = "all" if len(f["articles"]) == len(cmp.articles) else ", ".join(f["outlets"])
        first: dict[str, str] = {}
        for o in f["occurrences"]:
            first.setdefault(o["outlet"], o["text"])
        wordings = [f"{outlet}: {_short(text, 100)}" for outlet, text in first.items()]
        t.add_row(plain(_short(f["label"], 60)), plain(outlets), plain("\n".join(wordings)))
    if not shared:
        t.add_row("—", "—", "no fact was matched across outlets")
    parts.append(t)

    if cmp.conflicts:
        t = Table(title="Where statements of one event disagree", show_lines=True)
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
