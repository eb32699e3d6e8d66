"""Story clustering: two events of the same kind stay apart; the same event joins."""

from __future__ import annotations

from datetime import date

import numpy as np

from storylens.stories.cluster import StoryClusterer, terms
from storylens.stories.settings import StorySettings

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


def test_complete_linkage_needs_every_pair_to_agree() -> None:
    from storylens.stories.cluster import complete_linkage

    # a~b and b~c, but a and c are unlike: a chain must not become one group.
    sims = np.array([[-np.inf, 0.5, 0.0], [0.5, -np.inf, 0.4], [0.0, 0.4, -np.inf]])
    groups = sorted(sorted(g) for g in complete_linkage(sims, 0.3))
    assert groups == [[0, 1], [2]]
    # A cannot-link (-inf) between two units survives every merge.
    sims = np.array([[-np.inf, 0.9, -np.inf], [0.9, -np.inf, 0.9], [-np.inf, 0.9, -np.inf]])
    assert all(not {0, 2} <= set(g) for g in complete_linkage(sims, 0.3))


def test_a_later_batch_joins_the_stored_story_and_old_placements_stay() -> None:
    c = StoryClusterer()
    first = c.add_batch(
        [
            ("a", "Quake kills 22 in Aceh", QUAKE_A, date(2013, 7, 2), [("Bener Meriah", "GPE", 2)]),
            ("b", "Quake hits West Sumatra", QUAKE_B, date(2009, 9, 30), [("Padang", "GPE", 2)]),
        ]
    )
    assert first[0] != first[1]
    later = c.add_batch(
        [("a2", "Aceh quake toll rises to 35", QUAKE_A2, date(2013, 7, 3), [("Bener Meriah", "GPE", 1)])]
    )
    assert later == [first[0]]
    assert [s.articles for s in c.stories] == [["b"], ["a", "a2"]] or [s.articles for s in c.stories] == [
        ["a", "a2"],
        ["b"],
    ]


def test_entities_count_towards_the_terms() -> None:
    from storylens.stories.cluster import entity_terms

    counts = entity_terms([("Vincent Jackson", "PERSON", 4), ("the team", "OTHER", 9), (None, "PERSON", 3)])
    assert set(counts) == {"e:vincent jackson"}


def test_groups_join_on_mean_similarity_unless_a_pair_is_forbidden() -> None:
    from storylens.stories.cluster import join_groups

    # Units 0-1 and 2-3 are two tight groups; across them every pair is 0.3 except
    # 0-3 at 0.2: complete linkage keeps them apart, their mean (0.275) joins them.
    sims = np.full((4, 4), 0.3)
    sims[0, 1] = sims[1, 0] = sims[2, 3] = sims[3, 2] = 0.9
    sims[0, 3] = sims[3, 0] = 0.2
    np.fill_diagonal(sims, -np.inf)
    assert sorted(map(sorted, join_groups(sims, [[0, 1], [2, 3]], 0.25))) == [[0, 1, 2, 3]]
    assert sorted(map(sorted, join_groups(sims, [[0, 1], [2, 3]], 0.3))) == [[0, 1], [2, 3]]
    # A forbidden pair (dates too far apart, two stored stories) keeps them apart.
    sims[1, 2] = sims[2, 1] = -np.inf
    assert sorted(map(sorted, join_groups(sims, [[0, 1], [2, 3]], 0.1))) == [[0, 1], [2, 3]]


def test_a_stored_story_is_judged_by_its_least_like_member_then_joined_by_mean() -> None:
    from dataclasses import replace

    from storylens.stories.cluster import _similarities
    from storylens.stories.pair_score import PairWeights

    # Scores as plain cosines, so the cells can be read off.
    cosine_only = replace(StorySettings(), pair=PairWeights(0.0, 1.0, 1.0, 1.0, 0.0, 0.0))
    articles = [{"x": 1.0}]
    members = [[{"x": 1.0}, {"y": 1.0}]]  # one recent member like the article, one unlike it
    least, mean = _similarities(articles, [(None,)], members, [[(None,), (None,)]], cosine_only)
    assert least[0, 1] == least[1, 0] == 0.0  # complete linkage sees the story as its two members
    assert mean[0, 1] == mean[1, 0] == 0.5
    assert np.isneginf(least[0, 0]) and np.isneginf(mean[1, 1])


def test_a_main_person_missing_from_the_other_article_lowers_the_score() -> None:
    from storylens.stories.pair_score import PairWeights, features, main_actors, scores, units

    vec = {"chargers": 0.6, "dui": 0.6, "arrested": 0.529}
    jackson = main_actors([("Vincent Jackson", "PERSON", 9), ("A.J. Smith", "PERSON", 2), ("San Diego", "GPE", 4)])
    williams = main_actors([("Jamal Williams", "PERSON", 8), ("Vincent Jackson", "PERSON", 3)])
    assert jackson == ("jackson",) and williams == ("williams",)
    # The Williams article names Jackson (an earlier arrest); the Jackson article never names Williams.
    u = units(
        [
            {**vec, "e:vincent jackson": 0.1},
            {**vec, "e:jamal williams": 0.1, "e:vincent jackson": 0.05},
            {**vec, "jackson": 0.1},
        ],
        [jackson, williams, jackson],
    )
    f = features(u, u)
    assert f["person_missing_one"][0, 1] == f["person_missing_one"][1, 0] == 1.0
    assert f["person_missing_both"][0, 1] == 0.0
    assert f["person_missing_one"][0, 2] == 0.0  # the third names Jackson only as a word of its text
    # Same words, same weights: the pair whose main people differ scores lower.
    cosine, odds = scores(u, u, PairWeights())
    assert odds[0, 1] < odds[0, 2]
    assert abs(cosine[0, 1] - cosine[0, 2]) < 0.05
    assert units([vec], [(None,)]).actor[0].nnz == 0  # no person, no penalty either way


def test_join_weights_count_a_unit_as_several() -> None:
    from storylens.stories.cluster import join_groups

    # Unit 0 stands for a stored story of 3 members, already grouped with new
    # article 1; new article 2 is like the story (0.4) and unlike article 1 (0.1).
    # Counted once the story gives a mean of (0.4 + 0.1) / 2 = 0.25; counted as its
    # 3 members, (3 * 0.4 + 0.1) / 4 = 0.325.
    sims = np.full((3, 3), -np.inf)
    sims[0, 1] = sims[1, 0] = 0.9
    sims[0, 2] = sims[2, 0] = 0.4
    sims[1, 2] = sims[2, 1] = 0.1
    groups = [[0, 1], [2]]
    assert sorted(map(sorted, join_groups(sims, groups, 0.3))) == [[0, 1], [2]]
    assert sorted(map(sorted, join_groups(sims, groups, 0.3, np.array([3.0, 1.0, 1.0])))) == [[0, 1, 2]]
