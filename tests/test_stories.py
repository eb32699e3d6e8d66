"""Story clustering: two events of the same kind stay apart; the same event joins."""

from __future__ import annotations

from datetime import date

from storylens.stories.cluster import StoryClusterer, terms

QUAKE_A = (
    "A magnitude 6.1 earthquake struck Aceh province in Indonesia on Tuesday, killing at least 22 people in "
    "Bener Meriah and Central Aceh, officials said. Rescuers searched collapsed houses in Takengon."
)
QUAKE_A2 = (
    "Rescuers in Takengon, Aceh, dug through rubble after Tuesday's 6.1 earthquake; the death toll in Bener Meriah "
    "rose to 35, Indonesia's disaster agency said."
)
QUAKE_B = (
    "A magnitude 7.6 earthquake hit West Sumatra in Indonesia, killing hundreds in Padang and Pariaman, "
    "the disaster agency said. Buildings collapsed across Padang."
)


def test_names_and_numbers_outweigh_common_words() -> None:
    counts = terms(None, "The earthquake hit Padang in 2009, killing 1,100 people.")
    assert counts["padang"] > counts["earthquake"]
    assert counts["y:2009"] > counts["killing"]


def test_two_quakes_stay_apart_and_a_follow_up_joins_its_story() -> None:
    c = StoryClusterer()
    a = c.add("a", "Quake kills 22 in Aceh", QUAKE_A, date(2013, 7, 2))
    b = c.add("b", "Quake hits West Sumatra", QUAKE_B, date(2009, 9, 30))
    a2 = c.add("a2", "Aceh quake toll rises to 35", QUAKE_A2, date(2013, 7, 3))
    assert a != b
    assert a2 == a
    assert sorted(len(s.articles) for s in c.stories) == [1, 2]


def test_dates_far_apart_split_otherwise_similar_articles() -> None:
    c = StoryClusterer()
    first = c.add("x", "Quake kills 22 in Aceh", QUAKE_A, date(2013, 7, 2))
    later = c.add("y", "Quake kills 22 in Aceh", QUAKE_A, date(2015, 7, 2))
    undated = c.add("z", "Quake kills 22 in Aceh", QUAKE_A, None)
    assert first != later and undated in (first, later)
