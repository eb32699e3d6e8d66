"""Parse articles and resolve them: the one loop over ``nlp.pipe`` every command uses."""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

from storylens.clean.language import not_english
from storylens.coref.backend import CorefBackend, SieveBackend
from storylens.coref.component import CorefComponent
from storylens.model import Article, Cluster, Quote, Resolution
from storylens.nlp.docs import doc_from_bytes
from storylens.nlp.pipeline import load_pipeline


@dataclass(slots=True)
class Parsed:
    """One article after the pipeline: its Doc and Resolution, or why it failed."""

    article: Article
    doc: Doc | None = None
    resolution: Resolution | None = None
    error: str | None = None


def _with_article_id(clusters: list[Cluster], quotes: list[Quote], article_id: str) -> None:
    for c in clusters:
        c.article_id = article_id
        c.mentions = [replace(m, article_id=article_id) for m in c.mentions]
    for q in quotes:
        q.article_id = article_id


class Resolver:
    """Parses articles with spaCy and runs the ``storylens_coref`` component on them.

    The parsing pipeline is shared by every Resolver in the process (loaded once);
    the component is this Resolver's own, so Resolvers with different backends
    can live side by side.
    """

    def __init__(self, nlp: Language | None = None, backend: CorefBackend | None = None) -> None:
        self.nlp = nlp if nlp is not None else load_pipeline()
        self.coref = CorefComponent(backend=backend if backend is not None else SieveBackend())

    @property
    def backend(self) -> CorefBackend:
        return self.coref.backend

    def resolve_doc(self, article: Article, doc: Doc) -> Resolution:
        """The Resolution of ``article`` from its parsed ``doc`` (coreference runs
        here unless the Doc already went through ``storylens_coref``)."""
        if doc._.coref_clusters is None:
            self.coref(doc)
        clusters: list[Cluster] = doc._.coref_clusters
        quotes: list[Quote] = doc._.coref_quotes
        _with_article_id(clusters, quotes, article.id)
        return Resolution(
            article=article,
            clusters=clusters,
            edits=doc._.resolved_edits,
            resolved=doc._.resolved_text,
            quotes=quotes,
            quote_index=doc._.quote_index,
            singletons=[replace(m, article_id=article.id) for m in doc._.coref_singletons or ()],
        )

    def resolve(self, article: Article) -> Resolution:
        return self.resolve_doc(article, self.nlp(article.text))

    def parse(
        self,
        articles: Iterable[Article],
        batch_size: int = 16,
        parses: Mapping[str, bytes] | None = None,
        seconds: Counter[str] | None = None,
    ) -> Iterator[Parsed]:
        """Parse and resolve each article in ``nlp.pipe`` batches; a failure becomes
        a ``Parsed`` with an error, and the rest go on. Articles stream through:
        only one batch is held at a time. ``parses``: stored parses by article id
        (``nlp/docs.py``); with them, only the articles without one are parsed.
        ``seconds``: adds the time spent parsing ("parse") and resolving ("coreference")."""
        if parses:
            docs: Iterator[tuple[Article, Doc]] = (
                (a, self.nlp.make_doc("") if not_english(a) else self._stored(a, parses.get(a.id))) for a in articles
            )
        else:
            docs = self._piped(articles, batch_size)
        timer = seconds if seconds is not None else Counter()
        while True:
            t = time.perf_counter()
            pair = next(docs, None)
            timer["parse"] += time.perf_counter() - t
            if pair is None:
                return
            article, doc = pair
            skip = not_english(article)
            if skip is not None:
                yield Parsed(article, error=f"{article.source_path or article.id}: {skip}")
                continue
            t = time.perf_counter()
            try:
                parsed = Parsed(article, doc, self.resolve_doc(article, doc))
            except Exception as err:  # one bad article never sinks the batch
                where = article.source_path or article.id
                parsed = Parsed(article, doc, error=f"{where}: resolve failed: {type(err).__name__}: {err}")
            timer["coreference"] += time.perf_counter() - t
            yield parsed

    def _stored(self, article: Article, data: bytes | None) -> Doc:
        """The stored parse when it is readable and of this very text, else a new parse."""
        if data:
            try:
                doc = doc_from_bytes(self.nlp.vocab, data)
            except Exception:  # a damaged value costs a parse, never the comparison
                doc = None
            if doc is not None and doc.text == article.text:
                return doc
        return self.nlp(article.text)

    def _piped(self, articles: Iterable[Article], batch_size: int) -> Iterator[tuple[Article, Doc]]:
        pending: deque[Article] = deque()

        def texts() -> Iterator[str]:
            for a in articles:
                pending.append(a)
                # Order is kept by parsing an empty text for an article the loop will skip.
                yield "" if not_english(a) else a.text

        for doc in self.nlp.pipe(texts(), batch_size=batch_size):
            yield pending.popleft(), doc

    def resolve_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Resolution]:
        for parsed in self.parse(articles, batch_size):
            if parsed.resolution is None:
                raise RuntimeError(parsed.error)
            yield parsed.resolution
