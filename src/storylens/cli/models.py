"""`storylens models`: build the ONNX Runtime models."""

from __future__ import annotations

from typing import Annotated

import typer

from storylens.cli.common import (
    app,
    out,
)
from storylens.errors import StorylensError
from storylens.report.terminal import plain


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
