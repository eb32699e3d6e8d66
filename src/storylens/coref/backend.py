"""The interface every coreference backend implements, and the default one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from spacy.tokens import Doc

from storylens.coref.clusters import Clusters
from storylens.coref.gender import GenderGuesser
from storylens.coref.mentions import M, MentionFinder
from storylens.coref.pronouns import Observer, Scorer
from storylens.coref.ranker import LinearRanker
from storylens.coref.sieve import Context, run_passes
from storylens.coref.speakers import attribute_speakers
from storylens.model import Cluster, Mention, Quote
from storylens.nlp.quotes import QuoteIndex, find_quotes


@dataclass(slots=True)
class Analysis:
    clusters: list[Cluster]
    quotes: list[Quote]


class CorefBackend(Protocol):
    name: str

    def analyse(self, doc: Doc, article_id: str) -> Analysis:
        """Clusters (two or more mentions, or a named one) and attributed quotes;
        offsets into ``doc.text``."""
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

    def __init__(
        self,
        genders: GenderGuesser | None = None,
        scorer: Scorer | None = None,
        learned: bool = True,
        description_scorer: Scorer | None = None,
    ) -> None:
        self.finder = MentionFinder(genders or GenderGuesser())
        # The shipped learned rankers unless scorers are given or learning is turned off
        # (then hand weights rank pronouns and the strict head-match rule links descriptions).
        self.scorer: Scorer | None = scorer or (LinearRanker.load() if learned else None)
        self.description_scorer: Scorer | None = description_scorer or (
            LinearRanker.load_descriptions() if learned else None
        )

    def context(
        self, doc: Doc, observer: Observer | None = None, description_observer: Observer | None = None
    ) -> Context:
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
        run_passes(ctx, self.scorer, observer, self.description_scorer, description_observer)
        return ctx

    def analyse(self, doc: Doc, article_id: str) -> Analysis:
        ctx = self.context(doc)
        clusters = self._clusters(ctx, article_id)
        return Analysis(clusters, self._quotes(ctx, clusters, article_id))

    @staticmethod
    def _quotes(ctx: Context, clusters: list[Cluster], article_id: str) -> list[Quote]:
        cluster_at = {(m.start, m.end): c for c in clusters for m in c.mentions}
        out = []
        text = ctx.doc.text
        for qi, region in enumerate(ctx.quotes.regions):
            start, end = region.inner
            while start < end and text[start] in " \n":
                start += 1
            while end > start and text[end - 1] in " \n,":
                end -= 1
            if start >= end:
                continue
            speaker_idx = ctx.speakers[qi]
            speaker = cluster = None
            if speaker_idx is not None:
                m = ctx.ms[speaker_idx]
                found = cluster_at.get((m.start, m.end))
                cluster = found.id if found else None
                speaker = (found.canonical if found and found.canonical else None) or m.text
            line_start = text.rfind("\n", 0, region.start) + 1
            before = text[line_start : region.start].strip()
            partial = bool(before) and not before.endswith((":", ",")) and len(text[start:end].split()) <= 8
            out.append(Quote(article_id, start, end, text[start:end], speaker, cluster, partial))
        return out

    @staticmethod
    def _clusters(ctx: Context, article_id: str) -> list[Cluster]:
        doc = ctx.doc
        out: list[Cluster] = []
        for group in ctx.cl.groups():
            named = any(m.kind == "name" and m.name_key for m in group)
            if len(group) < 2 and not named:
                continue
            out.append(
                Cluster(
                    id=len(out),
                    article_id=article_id,
                    mentions=[
                        Mention(
                            article_id, m.start, m.end, m.text, m.kind, m.head, m.quote != -1, m.ext_start, m.ext_end
                        )  # type: ignore[arg-type]
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
