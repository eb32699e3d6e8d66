"""Definite descriptions: candidates, hard constraints, the rule and the shipped ranker."""

from __future__ import annotations

from storylens.coref import descriptions
from storylens.coref.backend import SieveBackend
from storylens.coref.context import Candidate
from storylens.coref.ranker import default_model_path
from storylens.coref.resolver import Resolver

BRIDGE = (
    "The Golden Gate Bridge was closed on Sunday after a storm damaged its cables. "
    "Engineers inspected the bridge for six hours before the city reopened it."
)


def _observed(resolver: Resolver, text: str, backend: SieveBackend) -> tuple[object, dict[str, list[Candidate]]]:
    seen: dict[str, list[Candidate]] = {}

    def observe(ctx, m, cands) -> None:
        seen[m.text] = cands

    ctx = backend.context(resolver.nlp(text), description_observer=observe)
    return ctx, seen


def _same_cluster(ctx, a: str, b: str) -> bool:
    ma = next(m for m in ctx.ms if m.text == a)
    mb = next(m for m in ctx.ms if m.text == b)
    return ctx.cl.same(ma.idx, mb.idx)


def test_the_bridge_is_a_strict_candidate_of_the_named_bridge(resolver: Resolver) -> None:
    ctx, seen = _observed(resolver, BRIDGE, SieveBackend(learned=False))
    cands = seen["the bridge"]
    assert len(cands) == 1 and "Golden Gate Bridge" in cands[0].mention.text
    row = dict(zip(descriptions.FEATURES, cands[0].features, strict=True))
    assert row["strict"] == 1.0 and row["new_words"] == 0.0 and row["cluster_has_name"] == 1.0
    assert _same_cluster(ctx, cands[0].mention.text, "the bridge")


def test_shipped_ranker_links_the_bridge_too(resolver: Resolver) -> None:
    ctx, seen = _observed(resolver, BRIDGE, SieveBackend())
    assert _same_cluster(ctx, seen["the bridge"][0].mention.text, "the bridge")


def test_a_plural_never_joins_a_singular_cluster(resolver: Resolver) -> None:
    text = "The senator from Ohio opposed the bill. By Friday the senators had passed it anyway."
    _, seen = _observed(resolver, text, SieveBackend())
    assert "the senators" not in seen  # no candidate at all: number is a constraint, not a feature


def test_new_words_are_counted_and_the_rule_refuses_them(resolver: Resolver) -> None:
    text = "A bridge over the river collapsed in May. Workers are building the new steel bridge now."
    ctx, seen = _observed(resolver, text, SieveBackend(learned=False))
    (cand,) = seen["the new steel bridge"]
    row = dict(zip(descriptions.FEATURES, cand.features, strict=True))
    assert row["strict"] == 0.0 and row["new_words"] == 2.0
    assert not _same_cluster(ctx, cand.mention.text, "the new steel bridge")


def test_a_scorer_links_only_above_zero(resolver: Resolver) -> None:
    never = SieveBackend(description_scorer=lambda rows: [-0.1] * len(rows))
    always = SieveBackend(description_scorer=lambda rows: [0.1] * len(rows))
    text = "A bridge over the river collapsed in May. Workers are building the new steel bridge now."
    ctx, seen = _observed(resolver, text, never)
    assert not _same_cluster(ctx, seen["the new steel bridge"][0].mention.text, "the new steel bridge")
    ctx, seen = _observed(resolver, text, always)
    assert _same_cluster(ctx, seen["the new steel bridge"][0].mention.text, "the new steel bridge")


def test_shipped_description_ranker_covers_its_features() -> None:
    path = default_model_path(descriptions.MODEL_FILE)
    ranker = descriptions.shipped_ranker()
    assert ranker is not None, "the description ranker should ship with the package (make train-coref)"
    assert set(ranker.weights) == set(descriptions.FEATURES)
    assert ranker.features == descriptions.FEATURES
    assert path.stat().st_size < 64_000
