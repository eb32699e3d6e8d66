"""A comparison as files to keep or send: CSV of facts × outlets with the evidence
and its offsets (the HTML report is a template, report.html)."""

from __future__ import annotations

import csv
import io
from typing import Any

from storylens.web.views import CELL_LABELS, matrix

CSV_COLUMNS = ("fact", "fact_text", "outlet", "article", "verdict", "evidence", "start", "end")


def comparison_csv(result: dict[str, Any]) -> str:
    """One row per fact and outlet; ``start``/``end`` are offsets into that
    article's cleaned text, empty when the outlet does not state the fact."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    articles = result["articles"]
    for row in matrix(result):
        for a, cell in zip(articles, row["cells"], strict=True):
            has = cell.start >= 0
            writer.writerow(
                [
                    row["id"],
                    row["text"],
                    a["outlet"],
                    a["id"],
                    CELL_LABELS[cell.status],
                    cell.text,
                    cell.start if has else "",
                    cell.end if has else "",
                ]
            )
    return out.getvalue()


def file_stem(title: str) -> str:
    """A download's name from the comparison's title."""
    stem = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")
    while "--" in stem:
        stem = stem.replace("--", "-")
    return stem[:60].strip("-") or "comparison"
