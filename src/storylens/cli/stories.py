"""`storylens stories`: place stored articles in stories, list and show them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from storylens.cli.common import (
    DbOpt,
    app,
    err,
    open_store,
    out,
    progress_bar,
)
from storylens.errors import StorylensError
from storylens.report.jsonout import dumps
from storylens.report.terminal import plain

stories_app = typer.Typer(
    invoke_without_command=True,
    rich_markup_mode=None,
    help="Group the stored articles into stories, list them, show one.",
)
app.add_typer(stories_app, name="stories")


@stories_app.callback()
def stories(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Option("--db", help="A store made by `storylens ingest`.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", is_flag=True, help="Print {stories: [{id, title, articles}]}.")
    ] = False,
) -> None:
    """Place articles not yet in a story (new articles join existing stories or
    start new ones; near-copies join their original's) and print every story."""
    if ctx.invoked_subcommand is not None:
        return
    if db is None:
        raise StorylensError("storylens stories needs --db PATH (or: stories list / stories show ID --db PATH)")
    from storylens.stories.assign import assign_stories

    store = open_store(db)
    waiting = store.unplaced()
    with progress_bar("placing", waiting) as progress:
        task = progress.add_task("stories", total=waiting)
        placed = assign_stories(store, progress=lambda n: progress.advance(task, n))
    found = store.stories()
    store.close()
    if as_json:
        sys.stdout.write(dumps({"stories": found}) + "\n")
        return
    err.print(plain(f"{placed} new articles placed; {len(found)} stories"))
    for s in found:
        out.print(plain(f"{s['id']:>6}  {len(s['articles']):>3} articles  {s['title'] or ''}"))


@stories_app.command("list")
def stories_list(
    db: DbOpt,
    word: Annotated[str, typer.Option("--word", help="Only stories with an article containing this.")] = "",
    entity: Annotated[str, typer.Option("--entity", help="Only stories naming this person or group.")] = "",
    outlet: Annotated[str, typer.Option("--outlet", help="Only stories this outlet covered.")] = "",
    date: Annotated[str, typer.Option("--date", help="Only stories with an article of this date (2017-03).")] = "",
) -> None:
    """List the stored stories, largest first (run `storylens stories --db` to place new articles)."""
    store = open_store(db, read_only=True)
    found = store.search_stories(word, entity, outlet, date, limit=10_000)
    store.close()
    if not found:
        err.print(plain("no stories match (has `storylens stories --db` placed the articles?)"))
    for s in found:
        out.print(
            plain(
                f"{s['id']:>6}  {s['articles']:>4} articles  {s['first_date'] or '':10}  "
                f"{', '.join(s['outlets'])[:40]:40}  {s['title'] or ''}"
            )
        )


@stories_app.command("show")
def stories_show(story: Annotated[str, typer.Argument(help="The story id, e.g. s12.")], db: DbOpt) -> None:
    """Show one story's articles (compare them with `storylens compare --db PATH --story ID`)."""
    store = open_store(db, read_only=True)
    articles = store.story_articles(story)
    store.close()
    out.print(plain(f"story {story}: {len(articles)} articles"))
    for a in articles:
        out.print(plain(f"  {a.published or '':10}  {a.outlet or '':20}  {a.id:24}  {a.title or a.text[:60]}"))
