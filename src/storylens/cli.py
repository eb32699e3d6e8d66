"""The `storylens` command: a thin shell over the pipeline stages."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.rule import Rule
from rich.text import Text

from storylens import __version__
from storylens.clean import MAX_BYTES, MAX_CHARS
from storylens.clean.sources import Collected, collect
from storylens.errors import StorylensError
from storylens.model import Article
from storylens.report.jsonout import clean_json, dumps, resolution_json
from storylens.report.terminal import cleaning_table, clusters_table, plain, resolved_text

if TYPE_CHECKING:
    from storylens.store.db import Store

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    # Plain click help: rich help shows flags as `--json <bool>`, as if they took a value.
    rich_markup_mode=None,
    help="storylens: how different outlets tell the same news story.",
)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

BackendOpt = Annotated[
    str,
    typer.Option(
        "--backend",
        help="Coreference backend: sieve (embedded, offline; default) or fastcoref (optional: pip install fastcoref; "
        "its weights come from the Hugging Face hub).",
    ),
]
InputsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="INPUT...", help="Article files (.txt, .html), folders of them, or JSONL files.", show_default=False
    ),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", is_flag=True, help="Print JSON: one object for one article, JSON Lines for several.")
]


def _version(value: bool) -> None:
    if value:
        out.print(f"storylens {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", is_flag=True, callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """storylens: how different outlets tell the same news story."""


def _fail(message: str) -> None:
    err.print(Text("error: ", style="bold red") + plain(message))


def _report(collected: Collected) -> None:
    for note in collected.notes:
        err.print(Text("note: ", style="yellow") + plain(note))
    for problem in collected.problems:
        _fail(problem)


def _emit_json(items: list[dict], many: bool) -> None:
    """One pretty object for one input article; JSON Lines when several were given
    (whatever became of them), so a script reads one shape per invocation."""
    if not many and len(items) == 1:
        sys.stdout.write(dumps(items[0]) + "\n")
    else:
        sys.stdout.writelines(dumps(item, lines=True) + "\n" for item in items)


@app.command()
def clean(
    inputs: InputsArg,
    explain: Annotated[
        bool, typer.Option("--explain", is_flag=True, help="List every removed span and the rule that removed it.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Strip page furniture from articles and repair their spacing."""
    collected = collect(inputs)
    _report(collected)
    if as_json:
        _emit_json([clean_json(a) for a in collected.articles], collected.inputs > 1)
    else:
        for article in collected.articles:
            if len(collected.articles) > 1:
                out.print(Rule(plain(article.source_path or article.id)))
            if article.title:
                out.print(Text(article.title, style="bold"), "\n")
            out.print(plain(article.text))
            if explain:
                out.print(cleaning_table(article))
    raise typer.Exit(1 if collected.problems else 0)


def _progress(label: str, total: int) -> Progress:
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=err,
        disable=total < 2 or not err.is_terminal,
    )


def _safe_name(article_id: str) -> str:
    """A file name for an id: path separators and odd characters become `_`."""
    return "".join(ch if ch.isalnum() or ch in "-_.~" else "_" for ch in article_id).lstrip(".") or "_"


def _check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise StorylensError(f"--out {out_dir}: exists and is not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StorylensError(f"--out {out_dir}: cannot create the folder ({e.strerror})") from None
    if not os.access(out_dir, os.W_OK):
        raise StorylensError(f"--out {out_dir}: folder is not writable")


def _already_done(path: Path, article: Article) -> bool:
    """True when ``path`` holds this article's result; a file there for another
    article (same id, other text) is an error, never overwritten."""
    if not path.exists():
        return False
    try:
        done = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # a torn or unreadable result: do it again
    if done.get("text") != article.text:
        raise StorylensError(
            f"{path} holds another article with id '{done.get('article')}' (from an earlier run); "
            f"{article.source_path} was not written over it: use another --out folder"
        )
    return True


@app.command()
def resolve(
    inputs: InputsArg,
    as_json: JsonOpt = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write one <id>.json per article here; articles already there are skipped, so a batch resumes.",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Worker processes at most (each loads the pipeline once; fewer for small batches)."
        ),
    ] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Articles per nlp.pipe batch.")] = 8,
    show_clusters: Annotated[
        bool, typer.Option("--clusters", is_flag=True, help="Also print the entity clusters.")
    ] = False,
    backend: BackendOpt = "sieve",
) -> None:
    """Resolve coreference in articles and print the resolved text."""
    from storylens.coref.backend import backend_named
    from storylens.coref.resolver import Resolver
    from storylens.engine.local import plan_workers, resolve_articles

    if out_dir is not None:
        _check_out_dir(out_dir)
    collected = collect(inputs)
    _report(collected)
    todo = collected.articles
    if out_dir is not None:
        todo = [a for a in todo if not _already_done(out_dir / f"{_safe_name(a.id)}.json", a)]
        skipped = len(collected.articles) - len(todo)
        if skipped:
            err.print(plain(f"{skipped} already done in {out_dir}; resuming with {len(todo)}"))
    n_workers = plan_workers(workers, len(todo))
    if n_workers < workers:
        err.print(
            plain(
                f"using {n_workers} worker(s) for {len(todo)} articles (a worker pays off from about 24 articles each)"
            )
        )
    failures = len(collected.problems)
    results = []
    with _progress("resolving", len(todo)) as progress:
        task = progress.add_task("resolve", total=len(todo))
        resolver = Resolver(backend=backend_named(backend)) if n_workers <= 1 and todo else None
        for outcome in resolve_articles(todo, n_workers, batch_size, resolver, backend):
            progress.advance(task)
            if outcome.resolution is None:
                _fail(outcome.error or f"{outcome.source}: failed")
                failures += 1
                continue
            res = outcome.resolution
            if out_dir is not None:
                target = out_dir / f"{_safe_name(res.article.id)}.json"
                tmp = target.with_suffix(".json.tmp")
                tmp.write_text(dumps(resolution_json(res)), encoding="utf-8")
                tmp.replace(target)  # atomic: a killed run never leaves half a result
            elif as_json:
                results.append(resolution_json(res))
            else:
                if len(collected.articles) > 1:
                    out.print(Rule(plain(outcome.source)))
                out.print(resolved_text(res))
                if show_clusters:
                    out.print(clusters_table(res))
    if as_json and out_dir is None:
        _emit_json(results, collected.inputs > 1)
    raise typer.Exit(1 if failures else 0)


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

        store = _open_store(db, read_only=True)
        collected = Collected(articles=store.story_articles(story))
        parses = store.parses(a.id for a in collected.articles)
        store.close()
    else:
        if not inputs:
            raise StorylensError("nothing to compare: give INPUT files, or --db PATH --story ID")
        collected = collect(inputs, _parse_outlets(outlet or []))
    _report(collected)
    with _progress("comparing", len(collected.articles) + 1) as progress:
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


@app.command()
def ingest(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="SOURCE...",
            help="Folders of .txt/.html, JSONL or CSV files (All the News columns work).",
            show_default=False,
        ),
    ],
    db: Annotated[Path, typer.Option("--db", help="The DuckDB file to create or add to.")],
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes for coreference.")] = 1,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Articles stored per transaction.")] = 32,
    engine: Annotated[
        str, typer.Option("--engine", help="local (processes on this machine) or ray (pip install 'storylens[ray]').")
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option("--address", help="A Ray cluster to join (ray://HOST:10001 or auto); else a local one."),
    ] = None,
) -> None:
    """Clean, resolve and store an archive; rerunning resumes where it stopped."""
    import time

    from storylens.store.db import Store
    from storylens.store.ingest import estimate_count
    from storylens.store.ingest import ingest as run_ingest

    store = Store(db)
    before = store.counts()
    t = time.perf_counter()
    columns = (
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} articles/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, disable=not err.is_terminal) as progress:
        # Articles already stored are counted as they are passed over, so the total is all inputs.
        task = progress.add_task("ingest", total=estimate_count(sources) if err.is_terminal else None, rate="-")

        def advance(n: int) -> None:
            progress.advance(task, n)
            done = progress.tasks[0].completed
            progress.update(task, rate=f"{done / max(time.perf_counter() - t, 1e-9):.1f}")

        summary = run_ingest(
            sources, store, workers=workers, batch=batch, on_batch=advance, engine=engine, address=address
        )
    after = store.counts()
    store.close()
    stages = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_stage.items())) or "none"
    err.print(
        plain(
            f"{db}: stored {summary.stored}, duplicates {summary.duplicates}, problems {summary.errors} ({stages}), "
            f"already there {summary.already_done}; the store now holds {after['articles']} articles "
            f"(was {before['articles']}), {after['skipped']} duplicates, {after['errors']} problems, "
            f"in {time.perf_counter() - t:.1f} s"
        )
    )
    for line in summary.stages.lines():
        err.print(plain(f"  stage {line}"))
    raise typer.Exit(1 if summary.errors else 0)


stories_app = typer.Typer(
    invoke_without_command=True,
    rich_markup_mode=None,
    help="Group the stored articles into stories, list them, show one.",
)
app.add_typer(stories_app, name="stories")
DbOpt = Annotated[Path, typer.Option("--db", help="A store made by `storylens ingest`.")]


def _open_store(db: Path, read_only: bool = False) -> Store:
    from storylens.store.db import Store

    if not db.exists():
        raise StorylensError(f"--db {db}: no such store; make one with `storylens ingest SOURCE... --db {db}`")
    return Store(db, read_only=read_only)


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

    store = _open_store(db)
    waiting = store.unplaced()
    with _progress("placing", waiting) as progress:
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
    store = _open_store(db, read_only=True)
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
    store = _open_store(db, read_only=True)
    articles = store.story_articles(story)
    store.close()
    out.print(plain(f"story {story}: {len(articles)} articles"))
    for a in articles:
        out.print(plain(f"  {a.published or '':10}  {a.outlet or '':20}  {a.id:24}  {a.title or a.text[:60]}"))


@app.command()
def export(
    db: DbOpt,
    parquet: Annotated[Path, typer.Option("--parquet", help="Folder to write the Parquet tables into.")],
) -> None:
    """Write articles (with resolved text), mentions, quotes, claims and stories as
    Parquet tables (schema: docs/export.md)."""
    from storylens.store.export import export_parquet

    store = _open_store(db, read_only=True)
    counts = export_parquet(store, parquet)
    store.close()
    for table, n in counts.items():
        err.print(plain(f"{parquet / (table + '.parquet')}: {n} rows"))


@app.command()
def serve(
    db: Annotated[
        Path | None, typer.Option("--db", help="A store made by `storylens ingest`: adds the story browser.")
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 127.0.0.1 keeps it on this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Start the web app: upload or paste articles and explore their comparison."""
    import uvicorn

    from storylens.web.app import create_app

    if db is not None and not db.exists():
        raise StorylensError(f"--db {db}: no such store; make one with `storylens ingest SOURCE... --db {db}`")
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(plain(f"warning: listening on {host}: anyone who can reach this machine can use the app"))
    err.print(plain(f"storylens serving on http://{host}:{port}/ (Ctrl+C stops it)"))
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")


@app.command("models")
def models(
    action: Annotated[str, typer.Argument(help="build: export and verify the ONNX Runtime models.")] = "build",
) -> None:
    """Build the ONNX Runtime copies of the sentence encoder and the claim judge
    from the installed weights (make install does this; compare does it on first
    use). They are checked against torch before use."""
    if action != "build":
        raise StorylensError(f"unknown action {action!r}; the one action is `build`")
    from storylens.align.onnx_models import build

    folder = build()
    out.print(plain(f"ONNX models built and verified against torch in {folder}"))


@app.command()
def demo() -> None:
    """Clean, resolve and compare the bundled example articles and show the result."""
    from importlib.resources import files as package_files

    from storylens.align.compare import Comparer
    from storylens.coref.resolver import Resolver
    from storylens.report.compare_terminal import summary

    folder = Path(str(package_files("storylens") / "examples"))
    collected = collect([folder])
    _report(collected)
    out.print(
        f"[bold]storylens demo[/]: {len(collected.articles)} bundled articles on one invented story. "
        "Resolved references are [black on yellow]highlighted[/].\n"
    )
    resolver = Resolver()
    for parsed in resolver.parse(collected.articles):
        if parsed.resolution is None:
            _fail(parsed.error or parsed.article.id)
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


def main() -> None:
    try:
        app()
    except StorylensError as e:
        _fail(str(e))
        sys.exit(2)


__doc__ += (
    f"\n\nFiles above {MAX_BYTES // (1024 * 1024)} MB, and articles above {MAX_CHARS:,} characters after cleaning, "
    "are refused."
)

if __name__ == "__main__":
    main()
