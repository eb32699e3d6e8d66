"""Terminal rendering with rich: resolved text with edits highlighted, cleaning explained.

Article text is data, never markup: every string that comes from an article or a
user goes into a ``Text`` (``plain``), so `[the]` prints as `[the]` and `[/]`
cannot break the report.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from storylens.model import Article, Resolution
from storylens.textedit import target_edits


def plain(value: object) -> Text:
    """``value`` as literal text: brackets and all."""
    return Text(str(value))


def resolved_text(res: Resolution) -> Text:
    out = Text(res.resolved)
    for e in target_edits(res.edits):
        out.stylize("bold black on yellow", e.start, e.end)
    return out


def clusters_table(res: Resolution) -> Table:
    table = Table(title=plain(f"Entities in {res.article.id}"), show_lines=False)
    table.add_column("id", justify="right")
    table.add_column("canonical")
    table.add_column("type")
    table.add_column("mentions")
    for c in res.clusters:
        table.add_row(str(c.id), plain(c.canonical or "—"), c.type, plain("; ".join(m.text for m in c.mentions)))
    return table


def cleaning_table(article: Article) -> Table:
    table = Table(title=plain(f"Removed or repaired in {article.id}"))
    table.add_column("raw offsets", justify="right")
    table.add_column("rule")
    table.add_column("text")
    table.add_column("→")
    for e in article.cleaning:
        shown = e.original if len(e.original) <= 70 else e.original[:67] + "..."
        table.add_row(f"{e.start}-{e.end}", e.rule, plain(repr(shown)), plain(repr(e.replacement)))
    return table
