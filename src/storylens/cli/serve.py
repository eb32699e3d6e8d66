"""`storylens serve`: the web app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storylens.cli.common import (
    app,
    err,
)
from storylens.errors import StorylensError
from storylens.report.terminal import plain


@app.command()
def serve(
    db: Annotated[
        Path | None, typer.Option("--db", help="A store made by `storylens ingest`: adds the story browser.")
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 127.0.0.1 keeps it on this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (1-65535).")] = 8000,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", help="A host name the app answers besides loopback (repeatable)."),
    ] = None,
) -> None:
    """Start the web app: upload or paste articles and explore their comparison."""
    import uvicorn

    from storylens.store import comparisons
    from storylens.web.app import create_app

    if not 1 <= port <= 65535:
        raise StorylensError(f"--port {port}: a port is a number from 1 to 65535")
    if db is not None and not db.exists():
        raise StorylensError(f"--db {db}: no such store; make one with `storylens ingest SOURCE... --db {db}`")
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(plain(f"warning: listening on {host}: anyone who can reach this machine can use the app"))
    err.print(plain(f"storylens serving on http://{host}:{port}/ (Ctrl+C stops it)"))
    keep_in = None if db is not None else comparisons.default_path()
    application = create_app(db, allow_hosts=allow_host or (), keep_in=keep_in)
    uvicorn.run(application, host=host, port=port, log_level="warning")
