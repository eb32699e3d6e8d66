"""`storylens export`: the store as Parquet tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storylens.cli.common import (
    DbOpt,
    app,
    err,
    open_store,
)
from storylens.report.terminal import plain


@app.command()
def export(
    db: DbOpt,
    parquet: Annotated[Path, typer.Option("--parquet", help="Folder to write the Parquet tables into.")],
) -> None:
    """Write articles (with resolved text), mentions, quotes, claims and stories as
    Parquet tables (schema: docs/export.md)."""
    from storylens.store.export import export_parquet

    store = open_store(db, read_only=True)
    counts = export_parquet(store, parquet)
    store.close()
    for table, n in counts.items():
        err.print(plain(f"{parquet / (table + '.parquet')}: {n} rows"))
