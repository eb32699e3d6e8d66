"""The interface every coreference backend implements, and the default one."""

from __future__ import annotations

from typing import Protocol

from spacy.tokens import Doc

from storylens.coref.clusters import Clusters
from storylens.coref.gender import GenderGuesser
from storylens.coref.mentions import M, MentionFinder
from storylens.coref.sieve import Context, run_passes
from storylens.coref.speakers import attribute_speakers
from storylens.model import Cluster, Mention
from storylens.nlp.quotes import QuoteIndex, find_quotes


class CorefBackend(Protocol):
    name: str

    def cluster(self, doc: Doc, article_id: str) -> list[Cluster]:
        """Clusters of two or more mentions, offsets into ``doc.text``."""
        ...


def canonical_name(doc: Doc, ms: list[M]) -> str | None:
    names = [m for m in ms if m.kind == "name" and m.name_key]
    if not names:
        return None
    people = [m for m in names if m.label == "PERSON"] or names
    best = max(people, key=lambda m: (len(m.name_key), -m.start))
    start = best.name_start if best.name_start >= 0 else best.start_tok
    return doc[start : best.end_tok].text


class SieveBackend:
    """The embedded, offline resolver: rule passes over a spaCy parse."""

    name = "sieve"

    def __init__(self, genders: GenderGuesser | None = None) -> None:
        self.finder = MentionFinder(genders or GenderGuesser())

    def context(self, doc: Doc) -> Context:
        quotes = QuoteIndex(find_quotes(doc.text))
        ms = self.finder.find(doc, quotes)
        attribution = attribute_speakers(doc, quotes, ms)
        ctx = Context(
            doc=doc,
            ms=ms,
            quotes=quotes,
            speakers=attribution.speakers,
            exchanges=attribution.exchanges,
            cl=Clusters(ms),
        )
        run_passes(ctx)
        return ctx

    def cluster(self, doc: Doc, article_id: str) -> list[Cluster]:
        ctx = self.context(doc)
        out: list[Cluster] = []
        for group in ctx.cl.groups():
            if len(group) < 2:
                continue
            out.append(
                Cluster(
                    id=len(out),
                    article_id=article_id,
                    mentions=[
                        Mention(article_id, m.start, m.end, m.text, m.kind, m.head, m.quote != -1)  # type: ignore[arg-type]
                        for m in group
                    ],
                    canonical=canonical_name(doc, group),
                    type=ctx.cl.label(group[0].idx),
                )
            )
        out.sort(key=lambda c: c.mentions[0].start)
        for i, c in enumerate(out):
            c.id = i
        return out
