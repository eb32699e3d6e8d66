"""The Python API for the common jobs; the CLI is a shell over the same calls.

    import storylens
    res = storylens.resolve("Dmitry Peskov spoke. He said ...")
    res.resolved, res.clusters, res.edits, res.quotes
    cmp = storylens.compare([{"outlet": "A", "text": ...}, {"outlet": "B", "text": ...}])
    storylens.report.jsonout.comparison_json(cmp)     # the `compare --json` shape

Models load on first use and stay loaded for later calls in the process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the heavy modules load on first call, not on `import storylens`
    from spacy.language import Language

    from storylens.align.compare import Comparer, Comparison
    from storylens.coref.resolver import Resolver
    from storylens.model import Article, Resolution


@lru_cache(maxsize=1)
def _resolver() -> Resolver:
    from storylens.coref.resolver import Resolver

    return Resolver()


@lru_cache(maxsize=1)
def _comparer() -> Comparer:
    from storylens.align.compare import Comparer

    return Comparer(resolver=_resolver())


def _article(item: str | Article | Mapping[str, Any], n: int) -> Article:
    from storylens.clean import clean_article
    from storylens.clean.sources import article_from_record
    from storylens.model import Article

    if isinstance(item, Article):
        return item if item.text else clean_article(item)
    if isinstance(item, str):
        return clean_article(Article(id=f"a{n}", raw=item, outlet=f"a{n}"))
    return article_from_record({"id": f"a{n}", **item}, f"article {n}")


def resolve(text: str, article_id: str = "text", clean: bool = True) -> Resolution:
    """Resolve coreference in one article. With ``clean`` (the default) page
    furniture is removed first, as `storylens resolve` does; offsets point into
    ``res.article.text`` either way."""
    from storylens.clean import clean_article
    from storylens.model import Article

    article = Article(id=article_id, raw=text, text="" if clean else text)
    if clean:
        clean_article(article)
    return _resolver().resolve(article)


def compare(articles: Sequence[str | Article | Mapping[str, Any]]) -> Comparison:
    """Compare outlets' articles on one story. Each item is a text, an ``Article``,
    or a mapping with the JSONL fields (``id``, ``outlet``, ``title``, ``url``,
    ``text`` or ``html``)."""
    return _comparer().compare([_article(item, n) for n, item in enumerate(articles)])


def pipeline(model: str | None = None) -> Language:
    """A fresh spaCy pipeline with ``storylens_coref`` and ``storylens_quotes`` added."""
    from storylens.nlp.pipeline import DEFAULT_MODEL, fresh_pipeline

    nlp = fresh_pipeline(model or DEFAULT_MODEL)
    nlp.add_pipe("storylens_coref")
    nlp.add_pipe("storylens_quotes")
    return nlp
