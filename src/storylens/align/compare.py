"""Compare several outlets' articles on one story: entities, quotes, claims, framing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from storylens.align.claims import ClaimGroup, align_claims, extract_claims, number_conflicts
from storylens.align.embed import Embedder
from storylens.align.entities import entity_labels, link_entities
from storylens.align.framing import framing, outlet_terms
from storylens.align.quotes import QuoteGroup, group_quotes, word_diff
from storylens.coref import Resolver
from storylens.errors import StorylensError
from storylens.model import Article, Entity, Resolution


@dataclass(slots=True)
class Comparison:
    articles: list[Article]
    resolutions: dict[str, Resolution]
    entities: list[Entity]
    quotes: list[QuoteGroup]
    claims: list[ClaimGroup]
    framing: dict[str, list[dict]]
    conflicts: list[dict]
    problems: list[str] = field(default_factory=list)

    @property
    def outlet_of(self) -> dict[str, str]:
        return {a.id: a.outlet or a.id for a in self.articles}

    def unique_claims(self, article_id: str) -> list[ClaimGroup]:
        return [g for g in self.claims if g.articles == [article_id]]

    def omitted_claims(self, article_id: str) -> list[ClaimGroup]:
        """Claims most of the other outlets report and this one does not."""
        others = len(self.articles) - 1
        need = max(2, (others + 1) // 2 + (others % 2 == 0 and others > 2))
        return [g for g in self.claims if article_id not in g.articles and len(g.articles) >= min(need, others)]

    def to_json(self) -> dict[str, Any]:
        outlet_of = self.outlet_of
        quotes = []
        for g in self.quotes:
            longest = max(g.segments, key=lambda s: len(s.text))
            quotes.append(
                {
                    "id": g.id,
                    "speaker": g.speaker,
                    "status": g.status,
                    "outlets": sorted({outlet_of[a] for a in g.articles}),
                    "occurrences": [
                        {
                            "article": s.article_id,
                            "outlet": outlet_of[s.article_id],
                            "start": s.start,
                            "end": s.end,
                            "text": s.text,
                            "diff": word_diff(longest.text, s.text) if s is not longest else [],
                        }
                        for s in g.segments
                    ],
                }
            )
        return {
            "articles": [
                {
                    "id": a.id,
                    "outlet": outlet_of[a.id],
                    "title": a.title,
                    "url": a.url,
                    "unique_claims": [g.id for g in self.unique_claims(a.id)],
                    "omitted_claims": [g.id for g in self.omitted_claims(a.id)],
                }
                for a in self.articles
            ],
            "entities": [
                {"id": e.id, "canonical": e.canonical, "type": e.type, "labels": entity_labels(e, outlet_of)}
                for e in self.entities
            ],
            "quotes": quotes,
            "claims": [
                {
                    "id": g.id,
                    "text": g.text,
                    "articles": g.articles,
                    "speaker": next((c.speaker for c in g.claims if c.speaker), None),
                    "occurrences": [
                        {
                            "article": c.article_id,
                            "start": c.start,
                            "end": c.end,
                            "text": c.text,
                            "resolved": c.resolved,
                        }
                        for c in g.claims
                    ],
                }
                for g in self.claims
            ],
            "framing": self.framing,
            "conflicts": self.conflicts,
            "problems": self.problems,
        }


class Comparer:
    """Holds the loaded models; ``compare`` may be called many times."""

    def __init__(self, resolver: Resolver | None = None, embedder: Embedder | None = None) -> None:
        self.resolver = resolver or Resolver()
        self.embedder = embedder or Embedder()

    def compare(self, articles: list[Article], problems: list[str] | None = None) -> Comparison:
        problems = list(problems or [])
        if len(articles) < 2:
            raise StorylensError(
                f"compare needs at least two distinct articles; got {len(articles)}"
                + (f" ({'; '.join(problems)})" if problems else "")
            )
        nlp = self.resolver.nlp
        docs = list(nlp.pipe([a.text for a in articles], batch_size=8))
        resolutions: dict[str, Resolution] = {}
        kept, kept_docs = [], []
        for article, doc in zip(articles, docs, strict=True):
            try:
                resolutions[article.id] = self.resolver.resolve_doc(article, doc)
            except Exception as e:
                problems.append(f"{article.source_path or article.id}: resolve failed: {type(e).__name__}: {e}")
                continue
            kept.append(article)
            kept_docs.append(doc)
        entities = link_entities([c for r in resolutions.values() for c in r.clusters])
        quote_groups = group_quotes([q for r in resolutions.values() for q in r.quotes])
        claims = [c for a, d in zip(kept, kept_docs, strict=True) for c in extract_claims(resolutions[a.id], d)]
        groups = align_claims(claims, self.embedder.encode([c.resolved for c in claims]))
        terms: dict[str, Counter[str]] = {}
        for a, d in zip(kept, kept_docs, strict=True):
            terms.setdefault(a.outlet or a.id, Counter()).update(outlet_terms(d))
        return Comparison(
            articles=kept,
            resolutions=resolutions,
            entities=entities,
            quotes=quote_groups,
            claims=groups,
            framing=framing(terms),
            conflicts=number_conflicts(groups),
            problems=problems,
        )
