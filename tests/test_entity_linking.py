"""Cross-outlet entity linking: role words, possessives, what is no entity, labels."""

from __future__ import annotations

from storylens.align.entities import entity_labels, link_entities
from storylens.model import Mention

from conftest import cluster as _c
from conftest import entity_of as _entity_of
from conftest import mention as _m


def test_a_role_word_in_a_name_takes_another_outlets_description() -> None:
    peskov = _c("a", "Dmitry Peskov", "PERSON", _m("a", 0, "Putin spokesman Dmitry Peskov"), _m("a", 50, "Peskov"))
    lone = _m("b", 0, "The Kremlin spokesman", "nominal", "spokesman")
    entities = link_entities([peskov], [lone])
    assert _entity_of(entities, "b", "The Kremlin spokesman") == _entity_of(entities, "a", "Peskov")


def test_two_people_with_one_role_word_keep_the_description_apart() -> None:
    a = _c("a", "Dmitry Peskov", "PERSON", _m("a", 0, "Kremlin spokesman Dmitry Peskov"))
    b = _c("b", "Sean Spicer", "PERSON", _m("b", 0, "White House spokesman Sean Spicer"))
    lone = _m("c", 0, "the spokesman", "nominal", "spokesman")
    entities = link_entities([a, b], [lone])
    assert _entity_of(entities, "a", "Kremlin spokesman Dmitry Peskov") != _entity_of(
        entities, "b", "White House spokesman Sean Spicer"
    )
    assert _entity_of(entities, "c", "the spokesman") is None


def test_possessives_link_only_under_the_same_possessor() -> None:
    hers = _m("a", 0, "her campaign", "nominal", "campaign")
    his = _m("b", 0, "his campaign", "nominal", "campaign")
    trumps = _m("c", 0, "Trump's campaign", "nominal", "campaign")
    ours_a = _m("a", 40, "our country", "nominal", "country")
    ours_b = _m("b", 40, "our country", "nominal", "country")
    hers_d = _m("d", 0, "her campaign", "nominal", "campaign")
    entities = link_entities([], [hers, his, trumps, ours_a, ours_b, hers_d])
    assert _entity_of(entities, "a", "her campaign") == _entity_of(entities, "d", "her campaign")
    assert _entity_of(entities, "b", "his campaign") is None
    assert _entity_of(entities, "c", "Trump's campaign") is None
    assert _entity_of(entities, "a", "our country") is None


def test_generic_nouns_events_and_speaker_words_are_no_entities() -> None:
    lone = [
        _m("a", 0, "people", "nominal", "people", plural=True),
        _m("b", 0, "people", "nominal", "people", plural=True),
        _m("a", 20, "an interview", "nominal", "interview"),
        _m("b", 20, "the interview", "nominal", "interview"),
        _m("a", 40, "the caravan", "nominal", "caravan"),
        _m("b", 40, "the caravan", "nominal", "caravan"),
    ]
    me = _c("a", None, "PERSON", _m("a", 60, "i", "pronoun"), _m("a", 70, "me", "pronoun"))
    me_b = _c("b", None, "PERSON", _m("b", 60, "i", "pronoun"), _m("b", 70, "me", "pronoun"))
    entities = link_entities([me, me_b], lone)
    assert [e.canonical for e in entities] == ["the caravan"]


def test_entities_rank_by_articles_and_labels_leave_out_speaker_words() -> None:
    many = _c("a", "Kislyak", "PERSON", *[_m("a", i * 10, "Kislyak") for i in range(6)])
    p_a = _c("a", "Dmitry Peskov", "PERSON", _m("a", 100, "Dmitry Peskov"), _m("a", 120, "i", "pronoun"))
    p_b = _c("b", "Peskov", "PERSON", _m("b", 0, "Peskov"), _m("b", 20, "whom", "pronoun"))
    entities = link_entities([many, p_a, p_b])
    assert entities[0].canonical == "Dmitry Peskov"
    labels = entity_labels(entities[0], {"a": "A", "b": "B"})
    assert [t["text"] for t in labels["A"]] == ["Dmitry Peskov"]
    assert [t["text"] for t in labels["B"]] == ["Peskov"]


def test_quoted_descriptions_and_question_words_are_no_entities() -> None:
    # Every outlet running one quote repeats the speaker's `the main threat`.
    quoted = [Mention(a, 0, 15, "the main threat", "nominal", lemma="threat", in_quote=True) for a in "ab"]
    own = [Mention(a, 30, 41, "the caravan", "nominal", lemma="caravan") for a in "ab"]
    whom = _c("a", "Whom", "PERSON", _m("a", 50, "Whom"))
    entities = link_entities([whom], quoted + own)
    assert [e.canonical for e in entities] == ["the caravan"]
