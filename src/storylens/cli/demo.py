"""`storylens demo`: the bundled example articles, end to end."""

from __future__ import annotations

from pathlib import Path

from rich.rule import Rule
from rich.text import Text

from storylens.clean.sources import collect
from storylens.cli.common import (
    app,
    fail,
    out,
    report_collected,
)
from storylens.report.terminal import clusters_table, plain, resolved_text


@app.command()
def demo() -> None:
    """Clean, resolve and compare the bundled example articles and show the result."""
    from importlib.resources import files as package_files

    from storylens.align.compare import Comparer
    from storylens.coref.resolver import Resolver
    from storylens.report.compare_terminal import summary

    folder = Path(str(package_files("storylens") / "examples"))
    collected = collect([folder])
    report_collected(collected)
    out.print(
        f"[bold]storylens demo[/]: {len(collected.articles)} bundled articles on one invented story. "
        "Resolved references are [black on yellow]highlighted[/].\n"
    )
    resolver = Resolver()
    for parsed in resolver.parse(collected.articles):
        if parsed.resolution is None:
            fail(parsed.error or parsed.article.id)
            continue
        article = parsed.article
        out.print(
            Rule(plain(Path(article.source_path or article.id).name + (f" — {article.title}" if article.title else "")))
        )
        if article.cleaning:
            rules = sorted({e.rule for e in article.cleaning})
            n = len(article.cleaning)
            out.print(Text(f"cleaned: {n} {'edit' if n == 1 else 'edits'} ({', '.join(rules)})", style="dim"))
        out.print(resolved_text(parsed.resolution))
        out.print(clusters_table(parsed.resolution))
    out.print(Rule("How the outlets tell the story"))
    out.print(summary(Comparer(resolver=resolver).compare(collected.articles, collected.problems)))
