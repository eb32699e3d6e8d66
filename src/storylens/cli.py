"""The `storylens` command: a thin shell over the pipeline stages."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.rule import Rule

from storylens.clean import MAX_BYTES, load_article
from storylens.coref import Resolver, backend_named
from storylens.engine import Outcome, resolve_paths
from storylens.errors import StorylensError
from storylens.report.jsonout import clean_json, dumps
from storylens.report.terminal import cleaning_table, clusters_table, resolved_text

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="storylens: how different outlets tell the same news story.",
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

BackendOpt = Annotated[
    str,
    typer.Option(
        "--backend",
        help="Coreference backend: sieve (embedded, offline) or fastcoref (optional; pip install fastcoref).",
    ),
]
FilesArg = Annotated[list[Path], typer.Argument(help="Article files (.txt or .html).", show_default=False)]


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)


@app.command()
def clean(
    files: FilesArg,
    explain: Annotated[
        bool, typer.Option("--explain", help="List every removed span and the rule that removed it.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Strip page furniture from articles and repair their spacing."""
    failures = 0
    results = []
    for path in files:
        try:
            article = load_article(path)
        except StorylensError as e:
            _fail(str(e))
            failures += 1
            continue
        for w in article.warnings:
            err.print(f"[yellow]warning:[/] {w}", highlight=False)
        if as_json:
            results.append(clean_json(article))
            continue
        if len(files) > 1:
            out.print(Rule(str(path)))
        if article.title:
            out.print(f"[bold]{article.title}[/]\n", highlight=False)
        out.print(article.text, highlight=False, markup=False)
        if explain:
            out.print(cleaning_table(article))
    if as_json:
        out.print_json(dumps(results[0] if len(results) == 1 and len(files) == 1 else results))
    raise typer.Exit(1 if failures else 0)


def _progress(total: int) -> Progress:
    return Progress(
        TextColumn("resolving"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=total < 2 or not err.is_terminal,
    )


@app.command()
def resolve(
    files: FilesArg,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the resolution as JSON (JSON Lines for several files).")
    ] = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write one <id>.json per article here; files already there are skipped, so a batch resumes."
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes, each loading the pipeline once.")
    ] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Articles per nlp.pipe batch.")] = 16,
    show_clusters: Annotated[bool, typer.Option("--clusters", help="Also print the entity clusters.")] = False,
    backend: BackendOpt = "sieve",
) -> None:
    """Resolve coreference in articles and print the resolved text."""
    todo = list(files)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        todo = [p for p in files if not (out_dir / f"{p.stem}.json").exists()]
        skipped = len(files) - len(todo)
        if skipped:
            err.print(f"{skipped} already done in {out_dir}; resuming with {len(todo)}", highlight=False)
    failures = 0
    with _progress(len(todo)) as progress:
        task = progress.add_task("resolve", total=len(todo))
        resolver = Resolver(backend=backend_named(backend)) if workers <= 1 else None
        for outcome in resolve_paths(todo, workers=workers, batch_size=batch_size, resolver=resolver, backend=backend):
            progress.advance(task)
            failures += _emit(outcome, as_json, out_dir, show_clusters, many=len(files) > 1)
    raise typer.Exit(1 if failures else 0)


def _emit(outcome: Outcome, as_json: bool, out_dir: Path | None, show_clusters: bool, many: bool) -> int:
    for w in outcome.warnings:
        err.print(f"[yellow]warning:[/] {w}", highlight=False)
    if outcome.resolution is None:
        _fail(outcome.error or f"{outcome.source}: failed")
        return 1
    res = outcome.resolution
    data = res.to_json()
    if out_dir is not None:
        stem = Path(outcome.source).stem
        (out_dir / f"{stem}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    elif as_json:
        if many:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(dumps(data) + "\n")
    else:
        if many:
            out.print(Rule(outcome.source))
        out.print(resolved_text(res))
        if show_clusters:
            out.print(clusters_table(res))
    return 0


def _parse_outlets(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, name = pair.partition("=")
        if not sep or not key or not name:
            raise StorylensError(f"--outlet expects ID=NAME, got {pair!r}")
        out[key] = name
    return out


@app.command()
def compare(
    inputs: Annotated[list[str], typer.Argument(help="Article files, folders, or JSONL files.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON (docs/json.md).")] = False,
    html: Annotated[Path | None, typer.Option("--html", help="Write a self-contained HTML report here.")] = None,
    outlet: Annotated[
        list[str] | None, typer.Option("--outlet", help="Name an outlet: ID=NAME (article id or file name).")
    ] = None,
    backend: BackendOpt = "sieve",
) -> None:
    """Compare outlets' articles on one story: shared and unique claims, quotes, labels, framing."""
    from storylens.align.compare import Comparer
    from storylens.clean.sources import collect
    from storylens.report.compare_terminal import summary
    from storylens.report.html import render_html

    collected = collect(inputs, _parse_outlets(outlet or []))
    for problem in collected.problems:
        err.print(f"[yellow]skipped:[/] {problem}", highlight=False)
    with err.status("loading models and comparing…", spinner="dots") if err.is_terminal else _null():
        result = Comparer(resolver=Resolver(backend=backend_named(backend))).compare(
            collected.articles, collected.problems
        )
    if html is not None:
        html.write_text(render_html(result), encoding="utf-8")
        err.print(f"wrote {html}", highlight=False)
    if as_json:
        sys.stdout.write(dumps(result.to_json()) + "\n")
    elif html is None:
        out.print(summary(result))


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


@app.command()
def demo() -> None:
    """Clean and resolve the bundled example articles and show the result."""
    from importlib.resources import files as package_files

    folder = package_files("storylens") / "examples"
    paths = sorted(Path(str(folder)).glob("*.*"))
    out.print(
        f"[bold]storylens demo[/]: {len(paths)} bundled articles on one invented story. "
        "Resolved references are [black on yellow]highlighted[/].\n"
    )
    for outcome in resolve_paths(paths):
        if outcome.resolution is None:
            _fail(outcome.error or outcome.source)
            continue
        res = outcome.resolution
        article = res.article
        out.print(Rule(f"{Path(outcome.source).name}" + (f" — {article.title}" if article.title else "")))
        if article.cleaning:
            rules = sorted({e.rule for e in article.cleaning})
            out.print(f"[dim]cleaned: {len(article.cleaning)} edits ({', '.join(rules)})[/]")
        out.print(resolved_text(res))
        out.print(clusters_table(res))

    from storylens.align.compare import Comparer
    from storylens.clean.sources import collect
    from storylens.report.compare_terminal import summary

    out.print(Rule("How the three outlets tell the story"))
    collected = collect(paths)
    out.print(summary(Comparer().compare(collected.articles, collected.problems)))


def main() -> None:
    try:
        app()
    except StorylensError as e:
        _fail(str(e))
        sys.exit(2)


__doc__ += f"\n\nArticles above {MAX_BYTES // (1024 * 1024)} MB are refused."

if __name__ == "__main__":
    main()
