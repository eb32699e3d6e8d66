"""Linking by mentions read in their sentences: the sentence cut, the margin, the wall."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storylens.align.entities import link_entities
from storylens.align.mention_context import MentionContext
from storylens.model import Cluster, Mention

from conftest import entity_of as _entity_of
from conftest import mention as _m


def _vectors(table: dict[str, list[float]]):
    def context(mentions: Sequence[Mention]) -> np.ndarray:
        rows = np.array([table[m.text] for m in mentions], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    return context


def test_the_sentence_of_a_mention() -> None:
    text = 'Kim met envoys. "The dictator fired it." Then he left.\nA new line.'
    ctx = MentionContext(lambda texts: np.ones((len(texts), 2)), {"a": text})
    start = text.index("dictator")
    assert ctx.sentence(_m("a", start, "dictator")) == '"The dictator fired it."'
    assert ctx.sentence(_m("a", text.index("new"), "new")) == "A new line."
    rows = ctx([_m("a", 0, "Kim"), _m("a", start, "dictator")])
    assert rows.shape == (2, 2) and np.allclose(np.linalg.norm(rows, axis=1), 1)


def test_an_unnamed_group_joins_the_closest_name_only_with_a_lead() -> None:
    kim = Cluster(0, "a", [_m("a", 0, "Kim Jong Un")], "Kim Jong Un", "PERSON")
    moon = Cluster(0, "b", [_m("b", 0, "Moon Jae-in")], "Moon Jae-in", "PERSON")
    dictator = _m("c", 0, "the North Korean leader", "nominal", "leader")
    leader = _m("d", 0, "the president", "nominal", "president")
    context = _vectors(
        {
            "Kim Jong Un": [1, 0, 0],
            "Moon Jae-in": [0, 1, 0],
            "the North Korean leader": [0.95, 0.1, 0],
            "the president": [0.7, 0.7, 0.1],  # as close to both: stays apart
        }
    )
    entities = link_entities([kim, moon], [dictator, leader], context=context)
    assert _entity_of(entities, "c", "the North Korean leader") == _entity_of(entities, "a", "Kim Jong Un")
    assert _entity_of(entities, "d", "the president") is None
    # Without vectors nothing links the two wordings.
    assert _entity_of(link_entities([kim, moon], [dictator, leader]), "c", "the North Korean leader") is None


def test_unnamed_groups_of_two_outlets_link_but_a_place_never_takes_a_person() -> None:
    caravan = _m("a", 0, "the caravan", "nominal", "caravan")
    asylum = _m("b", 0, "those seeking asylum", "nominal", "those")
    town = Cluster(0, "c", [_m("c", 0, "Tijuana")], "Tijuana", "GPE")
    official = _m("d", 0, "the official", "nominal", "official")
    context = _vectors(
        {
            "the caravan": [1, 0.1, 0],
            "those seeking asylum": [0.9, 0.2, 0],
            "Tijuana": [0, 0, 1],
            "the official": [0, 0.05, 1],
        }
    )
    entities = link_entities([town], [caravan, asylum, official], context=context)
    assert _entity_of(entities, "a", "the caravan") == _entity_of(entities, "b", "those seeking asylum") is not None
    assert _entity_of(entities, "d", "the official") != _entity_of(entities, "c", "Tijuana")
