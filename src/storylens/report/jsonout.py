"""The stable JSON shapes other tools read (see docs/json.md)."""

from __future__ import annotations

import json
from typing import Any

from storylens.model import Article


def clean_json(article: Article) -> dict[str, Any]:
    return {
        "article": article.id,
        "title": article.title,
        "text": article.text,
        "removed": [
            {"start": e.start, "end": e.end, "rule": e.rule, "original": e.original, "replacement": e.replacement}
            for e in article.cleaning
        ],
        "warnings": article.warnings,
    }


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)
