"""Coreference and the resolved text, on the founding seed and on text written here."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storylens.coref.resolver import Resolver
from storylens.model import Article, Resolution
from storylens.report.jsonout import resolution_json
from storylens.textedit import revert_edits


def _cluster_of(res: Resolution, name: str) -> set[str]:
    for c in res.clusters:
        if c.canonical == name:
            return {m.text for m in c.mentions}
    raise AssertionError(f"no cluster named {name}: {[c.canonical for c in res.clusters]}")


def assert_faithful(res: Resolution) -> None:
    text = res.article.text
    assert revert_edits(res.resolved, res.edits) == text
    spans = {(m.start, m.end) for c in res.clusters for m in c.mentions}
    kinds = {(m.start, m.end): m.kind for c in res.clusters for m in c.mentions}
    for e in res.edits:
        assert (e.start, e.end) in spans, f"edit outside a mention: {e}"
        assert kinds[(e.start, e.end)] != "name", f"a name was rewritten: {e}"
        assert text[e.start : e.end] == e.original
    for c in res.clusters:
        for m in c.mentions:
            assert text[m.start : m.end] == m.text


def test_seed_000_resolves_the_people(resolver: Resolver, seed_articles: dict[str, Article]) -> None:
    res = resolver.resolve(seed_articles["000"])
    assert_faithful(res)
    r = res.resolved
    # Pronouns inside Peskov's quotes: the words stay, the name is added.
    assert "you would probably see that he [Sergey Kislyak] had lots of meetings" in r
    assert "yes, he [Sergey Kislyak] was trying to interfere" in r
    assert "during her [Hillary Clinton’s] campaign" in r
    assert "about his [Vladimir Putin’s] candidate of his [Vladimir Putin’s] support" in r
    assert "He [Vladimir Putin] kept saying" in r
    # Outside quotes: pronouns and descriptions become the name.
    assert "Peskov said it is Sergey Kislyak’s job" in r
    assert "Dmitry Peskov added that the meetings" in r
    assert "never supported Trump when Donald Trump was a presidential candidate" in r
    assert "noting that Vladimir Putin mentioned Trump’s name" in r
    assert "Dmitry Peskov claimed that Putin believed" in r
    assert "Sergey Kislyak visited Obama at the White House 22 times" in r
    assert "meeting between Sergey Kislyak and Jeff Sessions" in r
    # Names are left as written; the canonical name drops titles.
    assert r.startswith("Russian President Vladimir Putin’s spokesman said")
    assert "Russian Ambassador Sergey Kislyak, who met" in r
    peskov = _cluster_of(res, "Dmitry Peskov")
    assert {"Peskov", "The spokesman", "He"} <= peskov
    assert "the Russian president" in _cluster_of(res, "Vladimir Putin")
    assert {"the Russian ambassador", "The ambassador"} <= _cluster_of(res, "Sergey Kislyak")


def test_seed_000_has_none_of_the_old_tools_garbling(resolver: Resolver, seed_articles: dict[str, Article]) -> None:
    r = resolver.resolve(seed_articles["000"]).resolved
    for garbled in ("He added Dmitry Peskov", "to Putin a Clinton outlook", "Putin ’s", "the the"):
        assert garbled not in r
    words_in = re.findall(r"\w+", seed_articles["000"].text)
    words_out = re.findall(r"\w+", r)
    assert len(words_out) >= len(words_in)


def test_other_seeds_resolve_quote_pronouns(resolver: Resolver, seed_articles: dict[str, Article]) -> None:
    r2 = resolver.resolve(seed_articles["002"])
    assert_faithful(r2)
    assert 'Dmitry Peskov said: "He [Sergey Kislyak] was talking about bilateral relations' in r2.resolved
    assert "Dmitry Peskov also defended the meetings" in r2.resolved
    assert "I [Dmitry Peskov] will answer" in r2.resolved
    r3 = resolver.resolve(seed_articles["003"])
    assert_faithful(r3)
    assert "Flynn told Vice President Mike Pence that Michael T. Flynn did not discuss" in r3.resolved
    r4 = resolver.resolve(seed_articles["004"])
    assert_faithful(r4)
    assert "Zakaria first asked Dmitry Peskov about" in r4.resolved
    assert "Peskov told Fareed Zakaria that it was common protocol" in r4.resolved
    # The person spoken to is not the one spoken about: Zakaria is the addressee here.
    assert "\"This is his [Sergey Kislyak's] job. He [Sergey Kislyak] was talking" in r4.resolved
    assert "you would probably see that he [Sergey Kislyak] had lots of meetings" in r4.resolved
    assert "adding Fareed Zakaria was not aware" in r4.resolved
    assert "Sessions stated plainly the conversations had nothing to do with Jeff Sessions’s role" in r3.resolved
    assert "not divulging that information during Jeff Sessions's confirmation hearing" in r2.resolved
    # `he said` after a run of Peskov quotes is Peskov, not the last man named.
    assert 'the main threat for the United States," Dmitry Peskov said.' in r2.resolved


def _groups(res: Resolution) -> list[set[str]]:
    return [{m.text for m in c.mentions} for c in res.clusters]


def _resolved(resolver: Resolver, text: str) -> Resolution:
    res = resolver.resolve(Article(id="own", raw=text, text=text))
    assert_faithful(res)
    return res


def test_own_text_roles_possessives_and_binding(resolver: Resolver) -> None:
    text = (
        "Harbour Minister Ana Silva met union leader Tomasz Nowak on Monday. "
        "The minister told him that her office would publish the report. "
        "Nowak said his members were ready. “We will not wait for her,” he said."
    )
    res = _resolved(resolver, text)
    assert "Ana Silva told Tomasz Nowak that Ana Silva's office" in res.resolved
    assert "Nowak said Tomasz Nowak's members were ready" in res.resolved
    assert "“We will not wait for her [Ana Silva],” Tomasz Nowak said." in res.resolved


def test_json_shape(resolver: Resolver, seed_articles: dict[str, Article]) -> None:
    data = resolution_json(resolver.resolve(seed_articles["000"]))
    assert set(data) == {"article", "text", "resolved", "clusters", "edits", "quotes"}
    kinds = {q["kind"] for q in data["quotes"]}
    assert kinds == {"direct", "indirect"}
    for q in data["quotes"]:
        assert data["text"][q["start"] : q["end"]] == q["text"]
        if q["cue"] is not None:
            assert data["text"][q["cue_start"] : q["cue_end"]] == q["cue"]
    cluster = data["clusters"][0]
    assert set(cluster) == {"id", "canonical", "type", "mentions"}
    assert set(cluster["mentions"][0]) == {"start", "end", "text", "kind"}
    assert set(data["edits"][0]) == {"start", "end", "original", "replacement"}
    for c in data["clusters"]:
        for m in c["mentions"]:
            assert data["text"][m["start"] : m["end"]] == m["text"]
            assert m["kind"] in ("name", "nominal", "pronoun")


FIRST = ["Maria", "John", "Aisha", "Pedro", "Olga", "David"]
LAST = ["Keller", "Osei", "Novak", "Tanaka", "Brennan", "Duval"]
VERBS = ["said", "added", "told reporters", "argued"]
PRON = ["he", "she", "his", "her", "him", "they", "it"]


@st.composite
def story(draw: st.DrawFn) -> str:
    people = [f"{draw(st.sampled_from(FIRST))} {draw(st.sampled_from(LAST))}" for _ in range(2)]
    parts = []
    for _ in range(draw(st.integers(2, 6))):
        who = draw(st.sampled_from([*people, *(p.split()[1] for p in people)]))
        pron = draw(st.sampled_from(PRON))
        verb = draw(st.sampled_from(VERBS))
        if draw(st.booleans()):
            parts.append(f"“I think {pron} was right about the plan,” {who} {verb}.")
        else:
            parts.append(f"{who} {verb} that {pron} had met the spokesman  in  Paris.")
    return " ".join(parts)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(story())
def test_resolving_never_garbles_generated_text(resolver: Resolver, text: str) -> None:
    res = resolver.resolve(Article(id="gen", raw=text, text=text))
    assert_faithful(res)


def test_writer_and_speaker_persons_group(resolver: Resolver) -> None:
    text = (
        "I first visited Athens in 2019. My guide there was a retired teacher, and I still write to him. "
        "We climbed the Acropolis at dawn, and our feet hurt for days. "
        "“We never close the gates early,” the guard said. “We open them at eight.”"
    )
    res = _resolved(resolver, text)
    groups = _groups(res)
    assert {"I", "My"} in groups  # the writer
    assert any({"We", "our"} <= g and "I" not in g for g in groups)  # the writer's group, apart from the writer
    assert res.resolved.count("[") == 0  # none of these has a name to add


def test_it_and_they_join_things_and_groups_but_stay_unrendered(resolver: Resolver) -> None:
    text = (
        "The museum reopened on Monday after a long renovation. It now has a glass roof. "
        "It is likely that the city will pay for the repairs. "
        "The dock workers walked out at noon. They want higher pay, and their union backs them."
    )
    res = _resolved(resolver, text)
    groups = _groups(res)
    assert {"The museum", "It"} in groups  # the pleonastic `It is likely` stays out
    assert {"The dock workers", "They", "their", "them"} in groups
    assert res.resolved == text  # `it` and `they` are clustered, never rewritten


def test_definite_description_joins_the_name_with_its_head(resolver: Resolver) -> None:
    text = "The Lakeside Harbor Authority approved the plan on Friday. The authority will publish its budget next week."
    res = _resolved(resolver, text)
    assert {"The Lakeside Harbor Authority", "The authority", "its"} in _groups(res)


def test_mention_extent_is_the_whole_noun_phrase(resolver: Resolver) -> None:
    text = "Lord Byron loved Mary Chaworth, whom he met while at school, and wrote poems for her and Byron's friends."
    res = resolver.resolve(Article(id="ext", raw=text, text=text))
    extents = {m.text: text[slice(*m.extent)] for c in res.clusters for m in c.mentions}
    assert extents["Mary Chaworth"] == "Mary Chaworth, whom he met while at school"
    assert extents["her"] == "her"  # a coordinated `her and Byron's friends` is two phrases


def test_acronym_joins_the_name_it_spells(resolver: Resolver) -> None:
    text = (
        "The International Dockworkers Council met in Lisbon on Monday. "
        "The IDC said the strike would go on, and the EU stayed silent."
    )
    res = _resolved(resolver, text)
    groups = _groups(res)
    council = next(g for g in groups if "IDC" in g)
    assert any("International Dockworkers Council" in name for name in council)
    assert not any("EU" in g and "IDC" in g for g in groups)
