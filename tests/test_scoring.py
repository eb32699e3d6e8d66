"""CoNLL metrics against small cases computed by hand."""

import pytest

from storylens.coref.scoring import b_cubed, ceaf_e, conll_scores, muc, ontonotes_spans
from storylens.model import Mention

KEY = [frozenset("abc"), frozenset("de")]


def test_perfect_response_scores_one() -> None:
    for metric in (muc, b_cubed, ceaf_e):
        assert metric(KEY, KEY) == pytest.approx((1.0, 1.0, 1.0))


def test_muc_split_cluster() -> None:
    # Key {a,b,c},{d,e}; response {a,b},{c},{d,e}: recall (1 + 1) / (2 + 1) = 2/3, precision 2/2.
    response = [frozenset("ab"), frozenset("c"), frozenset("de")]
    r, p, f = muc(KEY, response)
    assert (r, p) == pytest.approx((2 / 3, 1.0))
    assert f == pytest.approx(0.8)


def test_b_cubed_merged_clusters() -> None:
    # Response merges everything into {a,b,c,d,e}. Recall 1.
    # Precision: a,b,c each 3/5; d,e each 2/5 -> (9/5 + 4/5) / 5 = 13/25.
    r, p, _ = b_cubed(KEY, [frozenset("abcde")])
    assert (r, p) == pytest.approx((1.0, 13 / 25))


def test_ceaf_e_alignment() -> None:
    # Response {a,b},{d,e,f}: phi = 2*2/5 + 2*2/5 = 1.6; recall 1.6/2, precision 1.6/2.
    r, p, _ = ceaf_e(KEY, [frozenset("ab"), frozenset("def")])
    assert (r, p) == pytest.approx((0.8, 0.8))


def test_conll_mean_is_in_percent() -> None:
    scores = conll_scores([(KEY, KEY)])
    assert scores == pytest.approx({"muc": 100.0, "b3": 100.0, "ceafe": 100.0, "conll": 100.0})


def test_ontonotes_spans_keep_the_outer_phrase() -> None:
    text = "John Edleston, a chorister, sang. Edleston left."
    name = Mention("a", 0, 13, "John Edleston", "name", extent_start=0, extent_end=26)
    appos = Mention("a", 15, 26, "a chorister", "nominal")
    later = Mention("a", 34, 42, "Edleston", "name")
    assert text[0:26] == "John Edleston, a chorister"
    assert ontonotes_spans([later, appos, name]) == [(0, 26), (34, 42)]


def test_conll_coreference_column_nests_and_drops_singletons() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from corpus import parse_conll_clusters

    lines = [
        "# begin document x",
        "0\tThe\t(1",
        "1\tmayor\t1)",
        "2\tof\t_",
        "3\tOakland\t(2)|(3",
        "4\tport\t3)",
        "",
        "5\tShe\t(1)",
        "6\tleft\t",
        "7\tit\t(3)",
    ]
    clusters = parse_conll_clusters(lines)
    assert sorted(sorted(c) for c in clusters) == [[(0, 2), (5, 6)], [(3, 5), (7, 8)]]
