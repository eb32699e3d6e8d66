"""`storylens resolve`: coreference-resolved text, optionally one file per article."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.rule import Rule

from storylens.clean.sources import collect
from storylens.cli.common import (
    BackendOpt,
    InputsArg,
    JsonOpt,
    app,
    emit_json,
    err,
    fail,
    out,
    progress_bar,
    report_collected,
)
from storylens.errors import StorylensError
from storylens.model import Article
from storylens.report.jsonout import dumps, resolution_json
from storylens.report.terminal import clusters_table, plain, resolved_text


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
    report_collected(collected)
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
    with progress_bar("resolving", len(todo)) as progress:
        task = progress.add_task("resolve", total=len(todo))
        resolver = Resolver(backend=backend_named(backend)) if n_workers <= 1 and todo else None
        for outcome in resolve_articles(todo, n_workers, batch_size, resolver, backend):
            progress.advance(task)
            if outcome.resolution is None:
                fail(outcome.error or f"{outcome.source}: failed")
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
        emit_json(results, collected.inputs > 1)
    raise typer.Exit(1 if failures else 0)
