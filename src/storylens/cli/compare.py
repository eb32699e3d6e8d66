"""`storylens compare`: one story told by several outlets."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from storylens.clean.sources import collect
from storylens.cli.common import (
    BackendOpt,
    app,
    err,
    open_store,
    out,
    progress_bar,
    report_collected,
)
from storylens.errors import StorylensError
from storylens.model import Article
from storylens.report.jsonout import dumps
from storylens.report.terminal import plain


def _parse_outlets(pairs: list[str]) -> dict[str, str]:
    out_map = {}
    for pair in pairs:
        key, sep, name = pair.rpartition("=")
        if not sep or not key or not name.strip():
            raise StorylensError(
                f"--outlet expects ID=NAME (an article id, file name or path, then the outlet), got {pair!r}"
            )
        out_map[key] = name.strip()
    return out_map


def _check_html_target(html: Path) -> None:
    parent = html.parent if str(html.parent) else Path(".")
    if not parent.is_dir():
        raise StorylensError(f"--html {html}: folder {parent} does not exist")
    if html.is_dir() or not os.access(parent, os.W_OK):
        raise StorylensError(f"--html {html}: cannot write there")


@app.command()
def compare(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[INPUT]...",
            help="Article files (.txt, .html), folders of them, or JSONL files; or --db with --story.",
            show_default=False,
        ),
    ] = None,
    db: Annotated[Path | None, typer.Option("--db", help="A store made by `storylens ingest` (with --story).")] = None,
    story: Annotated[
        str | None, typer.Option("--story", help="A stored story's id (see `storylens stories list`).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", is_flag=True, help="Print the comparison as JSON (docs/json.md).")
    ] = False,
    html: Annotated[Path | None, typer.Option("--html", help="Write a self-contained HTML report here.")] = None,
    outlet: Annotated[
        list[str] | None,
        typer.Option(
            "--outlet", help="Name an outlet: ID=NAME, where ID is an article id, file name or path as typed."
        ),
    ] = None,
    backend: BackendOpt = "sieve",
) -> None:
    """Compare outlets' articles on one story: shared and unique claims, quotes, labels, framing."""
    from storylens.align.compare import Comparer
    from storylens.coref.backend import backend_named
    from storylens.coref.resolver import Resolver
    from storylens.report.compare_terminal import summary
    from storylens.report.html import render_html
    from storylens.report.jsonout import comparison_json

    if html is not None:
        _check_html_target(html)
    if (db is None) != (story is None):
        raise StorylensError("--db and --story go together: compare a stored story with both")
    parses: dict[str, bytes] = {}
    if db is not None and story is not None:
        if inputs:
            raise StorylensError("give input files or --db/--story, not both")
        from storylens.clean.sources import Collected

        store = open_store(db, read_only=True)
        collected = Collected(articles=store.story_articles(story))
        parses = store.parses(a.id for a in collected.articles)
        store.close()
    else:
        if not inputs:
            raise StorylensError("nothing to compare: give INPUT files, or --db PATH --story ID")
        collected = collect(inputs, _parse_outlets(outlet or []))
    report_collected(collected)
    with progress_bar("comparing", len(collected.articles) + 1) as progress:
        task = progress.add_task("compare", total=len(collected.articles) + 1)

        def step(stage: str, article: Article | None) -> None:
            progress.update(task, description=f"{stage} {article.id if article else ''}")
            progress.advance(task)

        comparer = Comparer(resolver=Resolver(backend=backend_named(backend)))
        result = comparer.compare(collected.articles, collected.problems, on_step=step, parses=parses)
    if html is not None:
        html.write_text(render_html(result), encoding="utf-8")
        err.print(plain(f"wrote {html}"))
    if as_json:
        sys.stdout.write(dumps(comparison_json(result)) + "\n")
    elif html is None:
        out.print(summary(result))
    raise typer.Exit(1 if collected.problems else 0)
