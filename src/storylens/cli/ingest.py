"""`storylens ingest`: clean, resolve and store an archive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from storylens.cli.common import (
    app,
    err,
)
from storylens.report.terminal import plain


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
