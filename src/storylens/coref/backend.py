"""The interface every coreference backend implements, and the default one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from spacy.tokens import Doc

from storylens.coref import descriptions, pronouns
from storylens.coref.clusters import Clusters
from storylens.coref.context import Context, Observer, Scorer
from storylens.coref.gender import GenderGuesser
from storylens.coref.mentions import M, MentionFinder
from storylens.coref.naming import NameEvidence, canonical_name, cluster_type
from storylens.coref.settings import DEFAULT, CorefSettings
from storylens.coref.sieve import PASSES, run_passes
from storylens.model import Cluster, Mention, Quote
from storylens.nlp.vocab import PERSON
from storylens.quotes.extract import build_quotes, build_reported
from storylens.quotes.regions import QuoteIndex, find_quotes
from storylens.quotes.reported import find_reported
from storylens.quotes.settings import DEFAULT as QUOTE_DEFAULT
from storylens.quotes.settings import QuoteSettings
from storylens.quotes.speakers import attribute_speakers

PLURAL_TAGS = ("NNS", "NNPS")


@dataclass(slots=True)
class Analysis:
    clusters: list[Cluster]
    quotes: list[Quote]
    # The article's quote regions, found once and reused by rendering and comparison.
    quote_index: QuoteIndex
    # Per cluster, its mentions as (start, end) token indices, for spaCy spans.
    token_spans: list[list[tuple[int, int]]]
    # Descriptions in no cluster (see ``Resolution.singletons``).
    singletons: list[Mention] = field(default_factory=list)


class CorefBackend(Protocol):
    name: str

    def analyse(self, doc: Doc, article_id: str) -> Analysis:
        """Clusters (two or more mentions, or a named one) and attributed quotes;
        offsets into ``doc.text``."""
        ...


def _token_span(doc: Doc, i: int) -> tuple[int, int]:
    return doc[i].idx, doc[i].idx + len(doc[i].text)


def _phrase(doc: Doc, head: int) -> tuple[int, int]:
    """The noun phrase a speaker's head token ends (`a campaign spokesman`)."""
    phrase = doc[doc[head].left_edge.i : head + 1]
    return phrase.start_char, phrase.end_char


def _name_evidence(doc: Doc, m: M) -> NameEvidence:
    start = m.name_start if m.name_start >= 0 else m.start_tok
    return NameEvidence(len(m.name_key), m.start, m.label == PERSON, lambda: doc[start : m.end_tok].text)


class SieveBackend:
    """The embedded, offline resolver: rule passes over a spaCy parse."""

    name = "sieve"

    def __init__(
        self,
        genders: GenderGuesser | None = None,
        scorer: Scorer | None = None,
        learned: bool = True,
        description_scorer: Scorer | None = None,
        settings: CorefSettings = DEFAULT,
        passes: tuple = PASSES,
        quote_settings: QuoteSettings = QUOTE_DEFAULT,
    ) -> None:
        self.finder = MentionFinder(genders or GenderGuesser())
        # The shipped learned rankers unless scorers are given or learning is turned off
        # (then hand weights rank pronouns and the strict head-match rule links descriptions).
        self.scorer: Scorer | None = scorer or (pronouns.shipped_ranker() if learned else None)
        self.description_scorer: Scorer | None = description_scorer or (
            descriptions.shipped_ranker() if learned else None
        )
        self.settings = settings
        self.passes = passes
        self.quote_settings = quote_settings

    def context(
        self,
        doc: Doc,
        observer: Observer | None = None,
        description_observer: Observer | None = None,
        quotes: QuoteIndex | None = None,
    ) -> Context:
        text = doc.text  # spaCy joins every token to build it: once per article
        quotes = quotes or QuoteIndex(find_quotes(text))
        ms = self.finder.find(doc, quotes)
        # A speaker is named by the first mention outside quotes with that head token.
        by_head: dict[int, int] = {}
        for m in ms:
            if m.quote == -1:
                by_head.setdefault(m.head, m.idx)
        attribution = attribute_speakers(doc, quotes, by_head.keys(), self.quote_settings)
        ctx = Context(
            doc=doc,
            text=text,
            ms=ms,
            quotes=quotes,
            speakers=[None if t is None else by_head[t] for t in attribution.speakers],
            exchanges=[[(by_head[s], by_head[o]) for s, o in pairs] for pairs in attribution.exchanges],
            cl=Clusters(ms),
            settings=self.settings,
            cues=attribution.cues,
        )
        run_passes(ctx, self.scorer, observer, self.description_scorer, description_observer, self.passes)
        return ctx

    def analyse(self, doc: Doc, article_id: str) -> Analysis:
        ctx = self.context(doc)
        doc = ctx.doc
        clusters, token_spans, singletons = self._clusters(ctx, article_id)
        speakers = [None if i is None else (ctx.ms[i].start, ctx.ms[i].end) for i in ctx.speakers]
        cues = [None if t is None else _token_span(doc, t) for t in ctx.cues]
        quotes = build_quotes(ctx.text, ctx.quotes, speakers, clusters, article_id, self.quote_settings, cues)
        reported = find_reported(doc, ctx.quotes, self.quote_settings)
        # A reported speaker is named by the mention outside quotes with its head token.
        by_head = {m.head: (m.start, m.end) for m in reversed(ctx.ms) if m.quote == -1}
        quotes += build_reported(
            ctx.text,
            reported,
            [None if r.speaker is None else by_head.get(r.speaker) or _phrase(doc, r.speaker) for r in reported],
            clusters,
            article_id,
        )
        quotes.sort(key=lambda q: (q.start, q.kind))
        return Analysis(clusters, quotes, ctx.quotes, token_spans, singletons)

    @staticmethod
    def _clusters(ctx: Context, article_id: str) -> tuple[list[Cluster], list[list[tuple[int, int]]], list[Mention]]:
        doc = ctx.doc

        def mention(m: M) -> Mention:
            return Mention(
                article_id,
                m.start,
                m.end,
                m.text,
                m.kind,
                m.head,
                m.quote != -1,
                m.ext_start,
                m.ext_end,  # type: ignore[arg-type]
                doc[m.head].lemma_.lower() if m.head >= 0 else "",
                m.head >= 0 and doc[m.head].tag_ in PLURAL_TAGS,
            )

        out: list[tuple[Cluster, list[tuple[int, int]]]] = []
        singletons: list[Mention] = []
        for group in ctx.cl.groups():
            named = [m for m in group if m.kind == "name" and m.name_key]
            if len(group) < 2 and not named:
                if group[0].kind == "nominal":
                    singletons.append(mention(group[0]))
                continue
            cluster = Cluster(
                id=len(out),
                article_id=article_id,
                mentions=[mention(m) for m in group],
                canonical=canonical_name([_name_evidence(doc, m) for m in named]),
                type=cluster_type([m.label for m in ctx.cl.mentions_of(group[0].idx)], ctx.cl.is_person(group[0].idx)),
            )
            out.append((cluster, [(m.start_tok, m.end_tok) for m in group]))
        out.sort(key=lambda pair: pair[0].mentions[0].start)
        for i, (c, _) in enumerate(out):
            c.id = i
        return [c for c, _ in out], [spans for _, spans in out], singletons


BACKENDS = ("sieve", "fastcoref")


def backend_named(name: str, learned: bool = True, passes: tuple = PASSES) -> CorefBackend:
    """``sieve``: the embedded offline resolver (default). ``fastcoref``: optional neural model."""
    if name == "sieve":
        return SieveBackend(learned=learned, passes=passes)
    if name == "fastcoref":
        from storylens.coref.neural import FastcorefBackend  # optional: imported only when asked for

        return FastcorefBackend()
    raise ValueError(f"unknown coreference backend {name!r}; choose one of {', '.join(BACKENDS)}")
