"""Compare several outlets' articles on one story: entities, quotes, claims, framing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from spacy.tokens import Doc

from storylens.align.claims import ClaimGroup, extract_claims, link_partial, search_core
from storylens.align.conflicts import find_conflicts
from storylens.align.embed import Embedded, Embedder
from storylens.align.entities import link_entities
from storylens.align.fact_pairs import FactModel, load_fact_model
from storylens.align.facts import FactGraph, build_facts, score_pairs
from storylens.align.framing import framing, label_choices, outlet_terms
from storylens.align.quote_groups import QuoteGroup, group_quotes
from storylens.align.same_claim import Judge, load_judge
from storylens.align.settings import DEFAULT, CompareSettings
from storylens.align.verdicts import Verdict, central, judge_verdicts
from storylens.coref.resolver import Resolver
from storylens.errors import StorylensError
from storylens.model import Article, Claim, Entity, Resolution


@dataclass(slots=True)
class Comparison:
    articles: list[Article]
    resolutions: dict[str, Resolution]
    entities: list[Entity]
    quotes: list[QuoteGroup]
    # The story's facts: every statement of each, several per article where an article repeats it.
    claims: list[ClaimGroup]
    framing: dict[str, list[dict]]
    conflicts: list[dict]
    problems: list[str] = field(default_factory=list)
    settings: CompareSettings = DEFAULT
    # One verdict per fact and article, with its evidence; the scored statement pairs behind them.
    verdicts: list[Verdict] = field(default_factory=list)
    graph: FactGraph | None = None
    fact_model: FactModel | None = None
    _table: dict[str, dict[str, Verdict]] | None = field(default=None, init=False, repr=False)

    @property
    def outlet_of(self) -> dict[str, str]:
        return {a.id: a.outlet or a.id for a in self.articles}

    def verdict_table(self) -> dict[str, dict[str, Verdict]]:
        """Fact id -> article id -> verdict (built once: every summary line reads it)."""
        if self._table is None:
            self._table = {}
            for v in self.verdicts:
                self._table.setdefault(v.fact, {})[v.article] = v
        return self._table

    def reporters(self, fact_id: str) -> list[str]:
        """The articles whose verdict on the fact is *reports*."""
        return sorted(a for a, v in self.verdict_table().get(fact_id, {}).items() if v.verdict == "reports")

    def is_central(self, fact_id: str) -> bool:
        """Most outlets (and at least ``omitted_min_outlets``) report it."""
        n = len(self.reporters(fact_id))
        return central(len(self.articles), n) and n >= min(self.settings.omitted_min_outlets, len(self.articles))

    def unique_claims(self, article_id: str) -> list[ClaimGroup]:
        """Facts only this article reports: every other article's verdict is *does not report*."""
        table = self.verdict_table()
        out = []
        for g in self.claims:
            row = table.get(g.id, {})
            mine = row.get(article_id)
            if mine is None or mine.verdict != "reports":
                continue
            if all(v.verdict == "absent" for a, v in row.items() if a != article_id):
                out.append(g)
        return out

    def omitted_claims(self, article_id: str) -> list[ClaimGroup]:
        """Central facts this article does not report (its verdict is *does not report*)."""
        table = self.verdict_table()
        return [
            g
            for g in self.claims
            if (v := table.get(g.id, {}).get(article_id)) is not None
            and v.verdict == "absent"
            and self.is_central(g.id)
        ]


class Comparer:
    """Holds the loaded models; ``compare`` may be called many times."""

    def __init__(
        self,
        resolver: Resolver | None = None,
        embedder: Embedder | None = None,
        settings: CompareSettings = DEFAULT,
        judge: Judge | None = None,
        fact_model: FactModel | None = None,
    ) -> None:
        self.resolver = resolver or Resolver()
        self.embedder = embedder or Embedder()
        self.judge = judge or load_judge()
        self.fact_model = fact_model or load_fact_model()
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
        graph = score_pairs(claims, vectors, tokens, self.judge, self.fact_model, known, cfg.claims)
        facts, everyone = build_facts(graph, self.fact_model)
        link_partial(claims, vectors, graph.linked(self.fact_model.merge), self.judge, everyone, known, cfg.claims)
        conflicts = find_conflicts(facts, entities, graph, self.fact_model.partial)
        verdicts = judge_verdicts([a for a, _ in kept], facts, graph, self.fact_model, conflicts)
        terms: dict[str, Counter[str]] = {}
        where: dict = {}
        for a, d in kept:
            outlet = a.outlet or a.id
            found = outlet_terms(d, resolutions[a.id].quote_index, where.setdefault(outlet, {}), a.id)
            terms.setdefault(outlet, Counter()).update(found)
        labels, label_where = label_choices(entities, {a.id: a.outlet or a.id for a, _ in kept})
        step("aligned", None)
        return Comparison(
            articles=[a for a, _ in kept],
            resolutions=resolutions,
            entities=entities,
            quotes=quote_groups,
            claims=facts,
            framing=framing(terms, cfg.framing_top, cfg.framing_prior_scale, labels, where, label_where),
            conflicts=conflicts,
            problems=problems,
            settings=cfg,
            verdicts=verdicts,
            graph=graph,
            fact_model=self.fact_model,
        )
