"""Framing: loaded words lead, each outlet's own labels follow, topic nouns are left out."""

from __future__ import annotations

from collections import Counter

from storylens.align.framing import framing, label_choices, outlet_terms
from storylens.model import Cluster, Entity, Mention
from storylens.nlp.pipeline import load_pipeline


def test_topic_nouns_are_not_framing_and_loaded_words_lead() -> None:
    nlp = load_pipeline()
    a = nlp("Outraged liberals downplayed the tariffs. The host discussed tariffs with officials.")
    b = nlp("The host discussed tariffs with officials. Officials discussed tariffs at length.")
    where: dict[str, list[dict]] = {}
    terms_a = outlet_terms(a, where=where, article_id="a")
    assert "tariffs" not in terms_a and "host" not in terms_a
    assert terms_a["outraged liberals"] == 1
    out = framing({"A": terms_a, "B": outlet_terms(b)}, top=5, where={"A": where})
    first = out["A"][0]
    assert first["kind"] == "evaluative" and "outraged" in first["term"]
    assert first["occurrences"] == [{"article": "a", "start": 0, "end": len("Outraged liberals")}]
    assert all(t["kind"] != "evaluative" for t in out["B"])


def test_each_outlets_own_labels_for_a_named_actor() -> None:
    def m(article: str, text: str, kind: str) -> Mention:
        return Mention(article, 0, len(text), text, kind)  # type: ignore[arg-type]

    peskov = Entity(
        "e0",
        "Dmitry Peskov",
        "PERSON",
        [
            Cluster(
                0,
                "a",
                [m("a", "Dmitry Peskov", "name"), m("a", "the Kremlin spokesman", "nominal")],
                "Dmitry Peskov",
                "PERSON",
            ),
            Cluster(0, "b", [m("b", "Peskov", "name"), m("b", "Putin's spokesman", "nominal")], "Peskov", "PERSON"),
            Cluster(0, "c", [m("c", "Peskov", "name"), m("c", "Putin's spokesman", "nominal")], "Peskov", "PERSON"),
        ],
    )
    labels, where = label_choices([peskov], {"a": "A", "b": "B", "c": "C"})
    assert labels["A"] == Counter({"the kremlin spokesman": 1})
    assert "B" not in labels  # C says it too: no choice of B's alone
    out = framing({"A": Counter(), "B": Counter()}, top=4, labels=labels, label_where=where)
    assert out["A"][0]["kind"] == "label" and out["A"][0]["occurrences"][0]["article"] == "a"
