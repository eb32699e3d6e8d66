"""Cleaning: furniture goes, every sentence of the article stays."""

from __future__ import annotations

import re

import pytest

from storylens.clean import clean_text

from conftest import seed_path

# Lines of page furniture in the seeds, as a reader would mark them.
FURNITURE = {
    "003": [
        "Who do you think would win the Presidency?",
        "By completing the poll, you agree to receive emails from LifeZette",
        "[lz_related_box",
    ],
    "004": [
        "Please verify",
        "Blaze Media",
        "Watch LIVE",
        "(Image source: YouTube)",
        "Most recent",
        "Newsom appoints Maryland-based head of pro-abortion PAC",
        "All Articles",
    ],
}
HEADLINES = {"004": "Kremlin: Russian ambassador met with Clinton campaign, too"}


def norm(text: str) -> str:
    text = text.replace("”", '"').replace("“", '"').replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", "", text)


def sentences(raw: str, furniture: list[str], headline: str | None) -> list[str]:
    out = []
    for line in raw.splitlines():
        if not line.strip() or any(f in line for f in furniture) or line.strip() == headline:
            continue
        out.extend(s for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) > 2)
    return out


@pytest.mark.parametrize("key", ["000", "002", "003", "004"])
def test_seed_keeps_every_sentence_and_drops_furniture(key: str) -> None:
    raw = seed_path(key).read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    furniture = FURNITURE.get(key, [])
    for piece in furniture:
        assert piece not in cleaned.text, f"furniture kept: {piece!r}"
    body = norm(cleaned.text)
    for sentence in sentences(raw, furniture, HEADLINES.get(key)):
        assert norm(sentence).lstrip("[") in body, f"sentence lost: {sentence[:80]!r}"
    assert cleaned.title == HEADLINES.get(key)


def test_seed_000_spacing_is_repaired() -> None:
    cleaned = clean_text(seed_path("000").read_text(encoding="utf-8"))
    assert "  " not in cleaned.text
    assert "elections — electoral process … So" in cleaned.text
    assert "for Hillary.” Peskov" in cleaned.text
    assert "understanding.’”" in cleaned.text
    assert not cleaned.text.startswith("[") and "[“Well" not in cleaned.text


def test_explain_names_each_rule_and_offsets_point_into_raw() -> None:
    raw = seed_path("004").read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    rules = {e.rule for e in cleaned.edits}
    assert {"bot_check", "top_banner", "live_banner", "headline", "caption_credit", "link_list"} <= rules
    for e in cleaned.edits:
        assert raw[e.start : e.end] == e.original


def test_glued_reversed_quote_is_reopened() -> None:
    cleaned = clean_text(seed_path("003").read_text(encoding="utf-8"))
    assert "Peskov added. “Whom would you like better?" in cleaned.text


@pytest.mark.parametrize(
    "furniture",
    [
        "Sign up for our Morning Briefing newsletter",
        "Advertisement",
        "Story continues below advertisement",
        '[td_block_social id="12"]',
        "© 2024 Example News. All rights reserved.",
        "Photo by Jane Roe/Getty Images",
    ],
)
def test_single_furniture_lines_are_removed(furniture: str) -> None:
    body = "The council voted on Tuesday to close the old harbour bridge for repairs, officials said."
    cleaned = clean_text(f"{body}\n\n{furniture}\n\nRepairs will take six weeks, the mayor said in a statement.")
    assert furniture not in cleaned.text
    assert body in cleaned.text and "Repairs will take six weeks" in cleaned.text


@pytest.mark.parametrize(
    "keep",
    [
        "“Who would pay for it?” the mayor asked at the meeting on Tuesday evening.",
        "Related coverage of the vote appeared in several papers, the council said.",
        "She said the [temporary] closure would cost the city about 2 million euros.",
    ],
)
def test_article_lines_that_look_like_furniture_stay(keep: str) -> None:
    body = "The council voted on Tuesday to close the old harbour bridge for repairs, officials said."
    cleaned = clean_text(f"{body}\n\n{keep}\n\nRepairs will take six weeks, the mayor said in a statement.")
    assert keep in cleaned.text


def test_link_list_only_when_nothing_after_it_is_prose() -> None:
    body = "The council voted on Tuesday to close the old harbour bridge for repairs, officials said."
    prose = "The closure begins on Monday and will last six weeks, according to a statement from the city."
    kept = clean_text(f"{body}\n\n{body}\n\nRelated\n\n{prose}")
    assert "Related" in kept.text and prose in kept.text
    dropped = clean_text(f"{body}\n\n{prose}\n\nRead more\n\nMayor opens new library\n\nRain expected all week")
    assert "Read more" not in dropped.text and "Mayor opens new library" not in dropped.text
