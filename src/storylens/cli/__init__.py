"""The `storylens` command: a thin shell over the pipeline stages, one module
per command group (each registers its commands on the shared app)."""

from __future__ import annotations

import sys

from storylens.clean import MAX_BYTES, MAX_CHARS
from storylens.cli import clean, compare, demo, export, ingest, models, resolve, serve, stories  # noqa: F401  (registers the commands)
from storylens.cli.common import app, fail
from storylens.errors import StorylensError


def main() -> None:
    try:
        app()
    except StorylensError as e:
        fail(str(e))
        sys.exit(2)


__doc__ += (
    f"\n\nFiles above {MAX_BYTES // (1024 * 1024)} MB, and articles above {MAX_CHARS:,} characters after cleaning, "
    "are refused."
)
