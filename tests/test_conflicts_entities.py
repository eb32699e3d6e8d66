"""Story-wide entity linking and claim conflicts, on hand-built clusters and claims."""

from __future__ import annotations

from storylens.align.claims import ClaimGroup
from storylens.align.conflicts import agent_conflicts, find_conflicts, negation_conflicts
from storylens.align.entities import link_entities
from storylens.model import Claim

from conftest import cluster as _c
from conftest import entity_of as _entity_of
from conftest import mention as _m


def test_bare_surname_joins_the_most_prominent_bearer() -> None:
    donald = _c("a", "Donald Trump", "PERSON", _m("a", 0, "Donald Trump"), _m("a", 30, "he", "pronoun"))
    donald_b = _c("b", "Donald Trump", "PERSON", _m("b", 0, "Donald Trump"), _m("b", 40, "Trump"))
    melania = _c("a", "Melania Trump", "PERSON", _m("a", 60, "Melania Trump"))
    bare = _c("c", "Trump", "PERSON", _m("c", 0, "Trump"))
    entities = link_entities([donald, donald_b, melania, bare])
    assert _entity_of(entities, "c", "Trump") == _entity_of(entities, "a", "Donald Trump")
    assert _entity_of(entities, "a", "Melania Trump") != _entity_of(entities, "a", "Donald Trump")
    assert len(entities) == 2


def test_type_disagreement_is_not_a_wall() -> None:
    person = _c("a", "Raj Chohan", "PERSON", _m("a", 0, "Raj Chohan"))
    building = _c("b", "Chohan", "FAC", _m("b", 0, "Chohan"))
    same_name = _c("c", "Iran", "PERSON", _m("c", 0, "Iran"))
    country = _c("d", "Iran", "GPE", _m("d", 0, "Iran"))
    entities = link_entities([person, building, same_name, country])
    assert _entity_of(entities, "a", "Raj Chohan") == _entity_of(entities, "b", "Chohan")
    assert _entity_of(entities, "c", "Iran") == _entity_of(entities, "d", "Iran")
    # A place never becomes a person through a shared word.
    city = _c("e", "Chohan", "GPE", _m("e", 0, "Chohan"))
    assert _entity_of(link_entities([person, city]), "e", "Chohan") != _entity_of(
        link_entities([person, city]), "a", "Raj Chohan"
    )


def test_coordinated_names_swallow_nothing() -> None:
    both = _c("a", "North and South Korea", "GPE", _m("a", 0, "North and South Korea"))
    north = _c("b", "North Korea", "GPE", _m("b", 0, "North Korea"))
    south = _c("c", "South Korea", "GPE", _m("c", 0, "South Korea"))
    entities = link_entities([both, north, south])
    assert (
        len(
            {
                _entity_of(entities, a, t)
                for a, t in [("a", "North and South Korea"), ("b", "North Korea"), ("c", "South Korea")]
            }
        )
        == 3
    )


def test_descriptions_link_across_outlets_and_to_names() -> None:
    # Outlet a chains `the caravan` to its name; outlet b only ever says `the caravan`;
    # outlet c and d say `migrants` once each.
    named = _c(
        "a", "Migrant Caravan", "OTHER", _m("a", 0, "Migrant Caravan"), _m("a", 40, "the caravan", "nominal", "caravan")
    )
    lone_b = _m("b", 10, "the caravan", "nominal", "caravan")
    lone_c = _m("c", 5, "the migrants", "nominal", "migrant", plural=True)
    lone_d = _m("d", 7, "undocumented migrants", "nominal", "migrant", plural=True)
    lone_e = _m("e", 7, "a migrant", "nominal", "migrant")
    entities = link_entities([named], [lone_b, lone_c, lone_d, lone_e])
    assert _entity_of(entities, "b", "the caravan") == _entity_of(entities, "a", "Migrant Caravan")
    assert _entity_of(entities, "c", "the migrants") == _entity_of(entities, "d", "undocumented migrants")
    # One migrant is not the migrants; a description in one article alone is no story entity.
    assert _entity_of(entities, "e", "a migrant") is None


def _claim(article: str, text: str, verb: str, negated: bool = False, agent: tuple[int, int] = (-1, -1)) -> Claim:
    return Claim(
        article, 0, len(text), text, text, verb=verb, negated=negated, agent_start=agent[0], agent_end=agent[1]
    )


def test_negation_compared_only_on_the_same_verb() -> None:
    yes = _claim("a", "The council approved the budget.", "approve")
    no = _claim("b", "The council did not approve the budget.", "approve", negated=True)
    other = _claim("c", "The mayor said nothing was decided on the budget.", "decide", negated=True)
    found = negation_conflicts([ClaimGroup("c0", [yes, no, other])])
    assert len(found) == 1
    assert found[0]["values"] == {"a": ["affirmed"], "b": ["negated"]}
    assert set(found[0]["wordings"]) == {"a", "b"}
    assert not negation_conflicts([ClaimGroup("c0", [yes, other])])


def test_agent_conflict_needs_two_linked_doers() -> None:
    fbi = _c("a", "FBI", "ORG", _m("a", 0, "The FBI"))
    police = _c("b", "Marlow Police", "ORG", _m("b", 0, "Marlow Police"))
    entities = link_entities([fbi, police])
    by_fbi = _claim("a", "The FBI arrested Tom Reed on Friday.", "arrest", agent=(4, 7))
    by_police = _claim("b", "Marlow Police arrested Tom Reed on Friday.", "arrest", agent=(7, 13))
    unknown = _claim("c", "Detectives arrested Tom Reed on Friday.", "arrest", agent=(0, 10))
    found = agent_conflicts([ClaimGroup("c0", [by_fbi, by_police, unknown])], entities)
    assert len(found) == 1 and set(found[0]["values"]) == {"a", "b"}
    assert found[0]["wordings"]["b"].startswith("Marlow Police")
    assert not agent_conflicts([ClaimGroup("c0", [by_fbi, unknown])], entities)
    # Numbers, negation and doers together, each like for like.
    kinds = {c["kind"] for c in find_conflicts([ClaimGroup("c0", [by_fbi, by_police])], entities)}
    assert kinds == {"agent"}


def test_compare_lists_a_negation_conflict_with_both_wordings(comparer) -> None:
    from rich.console import Console

    from storylens.model import Article
    from storylens.report.compare_terminal import summary

    said = "The regional council {} the new harbour budget on Monday after a long debate in Marlow. "
    rest = "Mayor Ann Cole spoke to reporters outside the town hall and said work on the quay would begin in spring."
    articles = [
        Article(id=i, raw="", text=said.format(verb) + rest, outlet=i)
        for i, verb in (("yes", "approved"), ("no", "did not approve"))
    ]
    result = comparer.compare(articles)
    (conflict,) = [c for c in result.conflicts if c["kind"] == "negation"]
    assert conflict["values"] == {"yes": ["affirmed"], "no": ["negated"]}
    assert "did not approve" in conflict["wordings"]["no"]
    console = Console(record=True, width=120)
    console.print(summary(result))
    assert "Where statements of one event disagree" in console.export_text()
