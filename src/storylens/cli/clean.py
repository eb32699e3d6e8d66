"""`storylens clean`: cleaned article text."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.rule import Rule
from rich.text import Text

from storylens.clean.sources import collect
from storylens.cli.common import (
    InputsArg,
    JsonOpt,
    app,
    emit_json,
    out,
    report_collected,
)
from storylens.report.jsonout import clean_json
from storylens.report.terminal import cleaning_table, plain


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
    report_collected(collected)
    if as_json:
        emit_json([clean_json(a) for a in collected.articles], collected.inputs > 1)
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
