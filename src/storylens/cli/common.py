"""What every command shares: the Typer app, the two consoles, the common options
and how problems are printed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from storylens import __version__
from storylens.clean.sources import Collected
from storylens.errors import StorylensError
from storylens.report.jsonout import dumps
from storylens.report.terminal import plain

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


def fail(message: str) -> None:
    err.print(Text("error: ", style="bold red") + plain(message))


def report_collected(collected: Collected) -> None:
    for note in collected.notes:
        err.print(Text("note: ", style="yellow") + plain(note))
    for problem in collected.problems:
        fail(problem)


def emit_json(items: list[dict], many: bool) -> None:
    """One pretty object for one input article; JSON Lines when several were given
    (whatever became of them), so a script reads one shape per invocation."""
    if not many and len(items) == 1:
        sys.stdout.write(dumps(items[0]) + "\n")
    else:
        sys.stdout.writelines(dumps(item, lines=True) + "\n" for item in items)


def progress_bar(label: str, total: int) -> Progress:
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


DbOpt = Annotated[Path, typer.Option("--db", help="A store made by `storylens ingest`.")]


def open_store(db: Path, read_only: bool = False) -> Store:
    from storylens.store.db import Store

    if not db.exists():
        raise StorylensError(f"--db {db}: no such store; make one with `storylens ingest SOURCE... --db {db}`")
    return Store(db, read_only=read_only)
