from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import AttributeRuler

from storylens.nlp.attribute_rules import ArrayAttributeRuler, use_array_attribute_ruler
from storylens.nlp.pipeline import DEFAULT_MODEL, load_pipeline

from conftest import seed_path

# Words that reach the package's rarer rules: two-token patterns, a negative
# index, regular expressions, NOT_IN, whitespace tokens.
ODD = (
    "Y'all ain't gonna believe it, and let's be honest:  there were nothin' left.\n\n"
    "Gotta go. There is a reason they're here; isn't it?  \t Which ones did it?"
)


def _texts() -> list[str]:
    return [seed_path(k).read_text(encoding="utf-8") for k in ("000", "002", "003", "004")] + [ODD]


def _attrs(doc: spacy.tokens.Doc) -> list[tuple[str, str, str, str]]:
    return [(t.pos_, str(t.morph), t.lemma_, t.tag_) for t in doc]


def test_storylens_pipeline_runs_the_array_ruler() -> None:
    assert isinstance(load_pipeline().get_pipe("attribute_ruler"), ArrayAttributeRuler)


def test_array_ruler_finds_the_matchers_matches_and_sets_the_same_attributes() -> None:
    spacy_nlp = spacy.load(DEFAULT_MODEL)
    reference = spacy_nlp.get_pipe("attribute_ruler")
    assert type(reference) is AttributeRuler
    ours = load_pipeline()
    ruler = ours.get_pipe("attribute_ruler")
    with spacy_nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(spacy_nlp.pipe(_texts()))
    matched = 0
    for doc in docs:
        expected = sorted(set(reference.match(doc)))
        assert ruler.match(doc) == expected
        matched += len(expected)
    assert matched > sum(len(d) for d in docs)  # the tag rules alone match every token
    for ref_doc, our_doc in zip(spacy_nlp.pipe(_texts()), ours.pipe(_texts()), strict=True):
        assert _attrs(our_doc) == _attrs(ref_doc)


def test_patterns_it_cannot_compile_go_to_a_matcher() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "big", "OP": "+"}, {"LOWER": "deal"}]], {"LEMMA": "BIGDEAL"}, index=-1)
    ruler.add([[{"ORTH": "deal"}]], {"NORM": "agreement"})
    ruler.add([[{}, {}, {}, {}]], {"LEMMA": "FOURTH"}, index=-1)  # wildcards only: read no column
    use_array_attribute_ruler(nlp)
    fast = nlp.get_pipe("attribute_ruler")
    assert isinstance(fast, ArrayAttributeRuler)
    doc = nlp("a big big deal")
    assert doc[3].lemma_ == "FOURTH" and doc[3].norm_ == "agreement"  # later patterns win, as in spaCy's
    assert len(fast.patterns) == 3 and len(fast._rest) == 1  # the OP pattern is left to the Matcher
    assert nlp("a big deal")[2].lemma_ == "BIGDEAL"


@pytest.mark.parametrize("text", ["", " ", "word"])
def test_short_documents(text: str) -> None:
    doc = load_pipeline()(text)
    assert len(doc) == len(text.split()) + (1 if text == " " else 0)
