"""Reported speech: statement, cue and speaker from the parse, never from quotation marks."""

from __future__ import annotations

import pytest

import storylens


@pytest.fixture(scope="module")
def quotes_of():
    nlp = storylens.pipeline()

    def run(text: str) -> list[tuple[str, str, str, str | None]]:
        doc = nlp(text)
        return [(s._.kind, s.text, s._.cue, s._.speaker) for s in doc.spans["quotes"]]

    return run


def test_complement_of_a_speech_verb(quotes_of) -> None:
    got = quotes_of("Mayor Lena Ortiz spoke on Monday. She told reporters that the bridge would reopen in May.")
    assert got == [("indirect", "that the bridge would reopen in May", "told reporters", "Lena Ortiz")]


def test_attribution_after_the_statement(quotes_of) -> None:
    got = quotes_of("Officials met in Lyon. The talks had failed again, a spokesperson said.")
    assert got == [("indirect", "The talks had failed again", "said", "a spokesperson")]


def test_according_to(quotes_of) -> None:
    (kind, text, cue, speaker) = quotes_of("According to the ministry, the port will stay open next week.")[0]
    assert (kind, cue, speaker) == ("indirect", "According to", "the ministry")
    assert text == "the port will stay open next week"


def test_a_quoted_statement_stays_direct(quotes_of) -> None:
    got = quotes_of("“The port will stay open next week,” the minister said.")
    assert [(k, c) for k, _, c, _ in got] == [("direct", "said")]


def test_a_transcript_turn_is_its_speakers(quotes_of) -> None:
    got = quotes_of("The debate went on.\n\nWALLACE: Senator, the polls have tightened since June.")
    assert [(k, t, c) for k, t, c, _ in got] == [("indirect", "Senator, the polls have tightened since June.", ":")]
