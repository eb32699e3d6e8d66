"""Compare several outlets' articles on one story: entities, quotes, claims, framing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from spacy.tokens import Doc

from storylens.align.claims import ClaimGroup, align_claims, extract_claims, search_core
from storylens.align.conflicts import find_conflicts
from storylens.align.embed import Embedded, Embedder
from storylens.align.entities import link_entities
from storylens.align.framing import framing, outlet_terms
from storylens.align.quote_groups import QuoteGroup, group_quotes
from storylens.align.same_claim import Judge, load_judge
from storylens.align.settings import DEFAULT, CompareSettings
from storylens.coref.resolver import Resolver
from storylens.errors import StorylensError
from storylens.model import Article, Claim, Entity, Resolution


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
    settings: CompareSettings = DEFAULT

    @property
    def outlet_of(self) -> dict[str, str]:
        return {a.id: a.outlet or a.id for a in self.articles}

    def unique_claims(self, article_id: str) -> list[ClaimGroup]:
        """Claims only this article makes: no other outlet states them, even in part."""
        return [g for g in self.claims if g.articles == [article_id] and not g.partial_articles]

    def omitted_claims(self, article_id: str) -> list[ClaimGroup]:
        """Claims more than half of the other outlets (and at least
        ``omitted_min_outlets`` of them) report and this one does not."""
        others = len(self.articles) - 1
        need = min(others, max(self.settings.omitted_min_outlets, others // 2 + 1))
        return [
            g
            for g in self.claims
            if article_id not in g.articles and article_id not in g.partial_articles and len(g.articles) >= need
        ]


class Comparer:
    """Holds the loaded models; ``compare`` may be called many times."""

    def __init__(
        self,
        resolver: Resolver | None = None,
        embedder: Embedder | None = None,
        settings: CompareSettings = DEFAULT,
        judge: Judge | None = None,
    ) -> None:
        self.resolver = resolver or Resolver()
        self.embedder = embedder or Embedder()
        self.judge = judge or load_judge()
        self.settings = settings

    def compare(
        self,
        articles: list[Article],
        problems: list[str] | None = None,
        on_step: Callable[[str, Article | None], None] | None = None,
        parses: Mapping[str, bytes] | None = None,
    ) -> Comparison:
        """``on_step(stage, article)`` is called as each article is parsed and
        resolved, then once (article None) when the outlets have been aligned.
        ``parses``: stored spaCy parses by article id (a store's), used instead of parsing."""
        problems = list(problems or [])
        step = on_step or (lambda stage, article: None)
        if len(articles) < 2:
            raise StorylensError(
                f"compare needs at least two distinct articles; got {len(articles)}"
                + (f" ({'; '.join(problems)})" if problems else "")
            )
        cfg = self.settings
        resolutions: dict[str, Resolution] = {}
        kept: list[tuple[Article, Doc]] = []
        claims: list[Claim] = []
        # Each article's claims (and their main clauses, for partial support) are
        # embedded while the next article is parsed: ONNX Runtime releases the
        # GIL, so the two share the cores.
        embedded: list[tuple[list[str], Future]] = []
        with ThreadPoolExecutor(max_workers=1) as pool:
            for parsed in self.resolver.parse(articles, batch_size=cfg.parse_batch, parses=parses):
                if parsed.resolution is None or parsed.doc is None:
                    problems.append(parsed.error or f"{parsed.article.id}: failed")
                    continue
                resolutions[parsed.article.id] = parsed.resolution
                kept.append((parsed.article, parsed.doc))
                mine = extract_claims(parsed.resolution, parsed.doc, cfg.claims)
                claims += mine
                texts = [c.resolved for c in mine] + [c.core for c in mine if search_core(c, cfg.claims)]
                embedded.append((texts, pool.submit(self.embedder.encode_with_tokens, texts)))
                step("resolved", parsed.article)
            known = Embedded(self.embedder.encode_with_tokens)
            for texts, future in embedded:
                known.add(texts, *future.result())
        vectors, tokens = known([c.resolved for c in claims])
        found = resolutions.values()
        entities = link_entities([c for r in found for c in r.clusters], [m for r in found for m in r.singletons])
        quote_groups = group_quotes([q for r in resolutions.values() for q in r.quotes], cfg.quotes)
        groups = align_claims(claims, vectors, self.judge, cfg.claims, tokens, known)
        terms: dict[str, Counter[str]] = {}
        for a, d in kept:
            terms.setdefault(a.outlet or a.id, Counter()).update(outlet_terms(d, resolutions[a.id].quote_index))
        step("aligned", None)
        return Comparison(
            articles=[a for a, _ in kept],
            resolutions=resolutions,
            entities=entities,
            quotes=quote_groups,
            claims=groups,
            framing=framing(terms, cfg.framing_top, cfg.framing_prior_scale),
            conflicts=find_conflicts(groups, entities),
            problems=problems,
            settings=cfg,
        )
