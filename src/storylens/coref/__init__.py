"""Stage 3: within-article coreference and the resolved text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from storylens.coref.backend import CorefBackend, SieveBackend
from storylens.coref.render import render_edits
from storylens.model import Article, Resolution
from storylens.nlp import load_pipeline
from storylens.textedit import apply_edits

__all__ = ["BACKENDS", "CorefBackend", "Resolver", "SieveBackend", "backend_named"]

BACKENDS = ("sieve", "fastcoref")


def backend_named(name: str) -> CorefBackend:
    """``sieve``: the embedded offline resolver (default). ``fastcoref``: optional neural model."""
    if name == "sieve":
        return SieveBackend()
    if name == "fastcoref":
        from storylens.coref.neural import FastcorefBackend

        return FastcorefBackend()
    raise ValueError(f"unknown coreference backend {name!r}; choose one of {', '.join(BACKENDS)}")


class Resolver:
    """Parses articles and resolves them; holds the pipeline and backend it was given."""

    def __init__(self, nlp: Language | None = None, backend: CorefBackend | None = None) -> None:
        self.nlp = nlp if nlp is not None else load_pipeline()
        self.backend = backend if backend is not None else SieveBackend()

    def resolve_doc(self, article: Article, doc: Doc) -> Resolution:
        analysis = self.backend.analyse(doc, article.id)
        tags = {t.idx: t.tag_ for t in doc if t.tag_ in ("PRP", "PRP$")}
        edits = render_edits(article.text, analysis.clusters, tags)
        return Resolution(
            article=article,
            clusters=analysis.clusters,
            edits=edits,
            resolved=apply_edits(article.text, edits),
            quotes=analysis.quotes,
        )

    def resolve(self, article: Article) -> Resolution:
        return self.resolve_doc(article, self.nlp(article.text))

    def resolve_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Resolution]:
        items = list(articles)
        docs = self.nlp.pipe((a.text for a in items), batch_size=batch_size)
        for article, doc in zip(items, docs, strict=True):
            yield self.resolve_doc(article, doc)
