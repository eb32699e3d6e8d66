"""storylens compare on the four seed articles, and on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from storylens.align.claims import candidate_pairs
from storylens.align.compare import Comparer, Comparison
from storylens.align.quote_groups import group_quotes, normalise, word_diff
from storylens.align.settings import ClaimSettings
from storylens.clean.sources import collect
from storylens.coref.resolver import Resolver
from storylens.errors import StorylensError
from storylens.model import Quote
from storylens.report.jsonout import comparison_json

from conftest import seed_path

OUTLETS = {"000": "Breitbart", "002": "IBTimes", "003": "LifeZette", "004": "TheBlaze"}


@pytest.fixture(scope="module")
def seeds_compared(comparer: Comparer) -> tuple[Comparison, dict]:
    paths = [seed_path(k) for k in OUTLETS]
    collected = collect(paths, {seed_path(k).stem: name for k, name in OUTLETS.items()})
    result = comparer.compare(collected.articles, collected.problems)
    return result, comparison_json(result)


def _quote_group(data: dict, words: str) -> dict:
    found = [q for q in data["quotes"] if any(words in o["text"] for o in q["occurrences"])]
    assert found, f"no quote group with {words!r}"
    return found[0]


def test_shared_peskov_quotes_are_one_group_each(seeds_compared: tuple[Comparison, dict]) -> None:
    _, data = seeds_compared
    well = _quote_group(data, "if you look at some people connected with Hillary Clinton")
    assert well["outlets"] == sorted(OUTLETS.values()) and well["speaker"] == "Dmitry Peskov"
    kept = _quote_group(data, "He kept saying that")
    assert kept["outlets"] == ["Breitbart", "IBTimes", "LifeZette"] and kept["status"] == "variant"
    demon = _quote_group(data, "with intention to demoni")
    assert demon["outlets"] == ["Breitbart", "IBTimes", "TheBlaze"]


def test_single_outlet_quotes_and_speakers(seeds_compared: tuple[Comparison, dict]) -> None:
    _, data = seeds_compared
    answer = _quote_group(data, "The answer is very simple, no.")
    assert answer["status"] == "single" and answer["outlets"] == ["LifeZette"]
    assert answer["speaker"] == "Dmitry Peskov"
    assert _quote_group(data, "So what was it that the Russian ambassador")["speaker"] == "Fareed Zakaria"
    assert _quote_group(data, "This is what happens all around the world")["status"] == "single"


def test_facts_one_outlet_alone_reports(seeds_compared: tuple[Comparison, dict]) -> None:
    _, data = seeds_compared
    by_id = {a["id"]: a for a in data["articles"]}

    def claim_with(words: str) -> dict:
        return next(c for c in data["claims"] if any(words in o["text"] for o in c["occurrences"]))

    visits = claim_with("22 times")
    assert visits["articles"] == [seed_path("000").stem]
    assert visits["id"] in by_id[seed_path("000").stem]["unique_claims"]
    lead = claim_with("Russian President Vladimir Putin’s spokesman said in an interview")
    assert len(lead["articles"]) >= 3


@pytest.mark.xfail(
    strict=True,
    reason="issue 22 target not met: the fact-pair model scores `was fired` / `was forced to resign` at 0.03",
)
def test_flynns_departure_is_one_fact_of_two_outlets(seeds_compared: tuple[Comparison, dict]) -> None:
    result, data = seeds_compared
    fired = next(c for c in data["claims"] if any("was ultimately fired" in o["text"] for o in c["occurrences"]))
    assert any("forced to resign" in o["text"] for o in fired["occurrences"]), fired["label"]
    assert {"IBTimes", "LifeZette"} <= set(fired["outlets"])
    for a in ("002", "003"):
        assert fired["id"] not in [g.id for g in result.unique_claims(seed_path(a).stem)]


def test_seed_verdicts_hold_their_invariants(seeds_compared: tuple[Comparison, dict]) -> None:
    from storylens.align.verdicts import check_invariants

    result, data = seeds_compared
    assert check_invariants(result) == []
    facts = {f["id"] for f in data["claims"]}
    # One verdict per fact and article, each with evidence from its own article.
    assert len(data["verdicts"]) == len(facts) * len(result.articles)
    for v in data["verdicts"]:
        assert v["verdict"] in ("reports", "partial", "contradicts", "absent")
        assert 0.0 <= v["confidence"] <= 1.0
        assert all(e["article"] == v["article"] for e in v["evidence"])
    summary = data["summary"]
    assert summary["outlets"] == 4 and len(summary["by_outlet"]) == 4
    assert summary["all_report"], "the seeds share their lead: Peskov on the ambassador's meetings"
    for o in summary["by_outlet"]:
        for item in o["only_here"]:
            assert all(e["article"] == o["article"] for e in item["evidence"])
    # Labels are an outlet's own words; inserted names are bracketed wherever resolved text is shown.
    text = {a.id: a.text for a in result.articles}
    for f in data["claims"]:
        assert any(f["label"] == o["text"] for o in f["occurrences"])
        for o in f["occurrences"]:
            assert text[o["article"]][o["start"] : o["end"]] == o["text"]
            if o["resolved"] != o["text"]:
                assert "[" in o["resolved"]


def test_every_offset_points_at_its_text(seeds_compared: tuple[Comparison, dict]) -> None:
    result, data = seeds_compared
    text = {a.id: a.text for a in result.articles}
    n = 0
    for q in data["quotes"]:
        for o in q["occurrences"]:
            assert text[o["article"]][o["start"] : o["end"]] == o["text"]
            n += 1
    for c in data["claims"]:
        for o in c["occurrences"]:
            assert text[o["article"]][o["start"] : o["end"]] == o["text"]
            n += 1
    for e in data["entities"]:
        for labels in e["labels"].values():
            for label in labels:
                for o in label["occurrences"]:
                    assert text[o["article"]][o["start"] : o["end"]].lower() == label["text"].lower()
                    n += 1
    assert n > 200


def test_outlets_label_peskov_differently(seeds_compared: tuple[Comparison, dict]) -> None:
    _, data = seeds_compared
    peskov = next(e for e in data["entities"] if e["canonical"] == "Dmitry Peskov")
    labels = {outlet: {x["text"] for x in xs} for outlet, xs in peskov["labels"].items()}
    assert "Russian President Vladimir Putin’s spokesman" in labels["Breitbart"]
    assert "Kremlin spokesman Dmitry Peskov" in labels["TheBlaze"]
    assert "The Kremlin spokesman" in labels["IBTimes"]


def test_framing_surfaces_loaded_terms(seeds_compared: tuple[Comparison, dict]) -> None:
    _, data = seeds_compared
    terms = " | ".join(t["term"] for t in data["framing"]["LifeZette"])
    assert "hysteria" in terms and "outraged liberals" in terms


def test_quote_normalisation_and_diff() -> None:
    assert normalise("intention to demonise Russia (sic)") == normalise("intention to demonize Russia")
    assert normalise("during [the] election campaign") == normalise("during election campaign")
    ops = word_diff("we will respect a choice", "he will respect a choice")
    assert ops[0] == {"op": "replace", "reference": "we", "text": "he"}


def _quote(article: str, text: str) -> Quote:
    return Quote(article_id=article, start=0, end=len(text), text=text, speaker="Ana Silva")


def test_two_transcripts_of_one_sentence_group_but_other_sentences_do_not() -> None:
    groups = group_quotes(
        [
            _quote("a", "In no way should the strike be described as an attack on the port itself."),
            _quote("b", "There was in no way the strike should be seen (sic) as an attack on the port."),
            _quote("c", "The strike is not an attack on anyone, and the port will stay open next week."),
        ]
    )
    assert sorted(len(g.articles) for g in groups) == [1, 2]
    assert next(g for g in groups if len(g.articles) == 2).articles == ["a", "b"]


def test_bad_inputs_are_reported_and_the_rest_compared(comparer: Comparer, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    german = tmp_path / "de.txt"
    german.write_text(
        "Der Sprecher des Kremls sagte am Sonntag, der russische Botschafter habe sich auch mit Beratern "
        "von Hillary Clinton getroffen. Das sei ganz normal, sagte er in einem Interview mit CNN."
    )
    copy = tmp_path / "copy.txt"
    copy.write_text(seed_path("000").read_text(encoding="utf-8"), encoding="utf-8")
    collected = collect([seed_path("000"), copy, empty, german, seed_path("004")])
    # Cleaning keeps every language; comparing needs English and says so.
    assert len(collected.articles) == 3
    assert next(a for a in collected.articles if a.id == "de").language == "de"
    problems = " | ".join(collected.problems)
    assert "empty" in problems and "same text" in problems
    result = comparer.compare(collected.articles, collected.problems)
    assert len(comparison_json(result)["articles"]) == 2
    assert any("not English" in p for p in result.problems)
    with pytest.raises(StorylensError, match="at least two"):
        comparer.compare(collected.articles[:1])


def test_jsonl_input_with_outlets(tmp_path: Path) -> None:
    lines = [
        {
            "id": "a1",
            "outlet": "Harbor Gazette",
            "title": "Strike",
            "text": seed_path("000").read_text(encoding="utf-8"),
        },
        {"id": "a2", "outlet": "Bay Wire", "html": "<html><body><p>" + "Short. " * 3 + "</p></body></html>"},
        {"id": "a3", "outlet": "Coastal", "text": seed_path("002").read_text(encoding="utf-8")},
    ]
    path = tmp_path / "story.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{not json\n", encoding="utf-8")
    collected = collect([path])
    assert [a.outlet for a in collected.articles] == ["Harbor Gazette", "Coastal"]
    assert any("invalid JSON" in p for p in collected.problems)
    assert any("no article text" in p for p in collected.problems)


def test_cli_compare_html_is_self_contained(tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "storylens.cli",
            "compare",
            str(seed_path("000")),
            str(seed_path("002")),
            "--html",
            str(html),
            "--outlet",
            f"{seed_path('000').stem}=Breitbart",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    page = html.read_text(encoding="utf-8")
    assert "Breitbart" in page and "<del>" in page and "<mark>" in page
    assert "<script src" not in page and "<link" not in page and "http" not in page.split("<body>")[0]


def test_cli_compare_one_article_is_a_clear_error() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "storylens.cli", "compare", str(seed_path("000"))],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 2
    assert "at least two distinct articles" in proc.stderr and "Traceback" not in proc.stderr


def test_repeated_sentences_embed_once_and_alike(comparer: Comparer) -> None:
    wire = "The port reopened on Tuesday after a two-day strike."
    other = "Dockworkers ended their strike."
    vectors = comparer.embedder.encode([wire, other, wire])
    assert vectors.shape == (3, 384)
    assert (vectors[0] == vectors[2]).all()
    assert abs(float(vectors[0] @ comparer.embedder.encode([wire])[0]) - 1.0) < 1e-5
    assert float(vectors[0] @ vectors[1]) < 0.99


def test_claim_candidates_are_every_pair_above_the_cosine_bound() -> None:
    rng = np.random.default_rng(0)
    base = rng.standard_normal((40, 384)).astype(np.float32)
    # Twenty near-copies, so some pairs are close and most are not.
    vectors = np.vstack([base, base[:20] + 0.6 * rng.standard_normal((20, 384)).astype(np.float32)])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = vectors @ vectors.T
    expected = {(i, j) for i in range(60) for j in range(i + 1, 60) if sims[i, j] >= 0.6}
    assert len(expected) >= 15
    assert candidate_pairs(vectors, 0.6) == expected


def test_beyond_the_exact_limit_lsh_still_pairs_copies() -> None:
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((30, 384)).astype(np.float32)
    vectors = np.vstack([vectors, vectors[:5]])  # claims 30..34 repeat claims 0..4
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs = candidate_pairs(vectors, 0.6, ClaimSettings(exact_limit=10))
    assert {(i, 30 + i) for i in range(5)} <= pairs
    assert len(pairs) < 35 * 34 // 2  # buckets, not every pair


# The JSON shapes against docs/json.md -------------------------------------

DOCS = Path(__file__).resolve().parent.parent / "docs" / "json.md"
# Objects keyed by data (an outlet or article id), not by field names.
KEYED_BY_DATA = {"labels", "framing", "values", "wordings", "spans"}


def _documented_examples() -> dict[str, object]:
    """The JSON example under each `## storylens X --json` heading of docs/json.md."""
    text = DOCS.read_text(encoding="utf-8")
    out = {}
    for section in text.split("\n## ")[1:]:
        heading, _, body = section.partition("\n")
        if "```json" in body:
            block = body.split("```json", 1)[1].split("```", 1)[0]
            out[heading.strip("` ").split()[1]] = json.loads(block)
    return out


def _shape_mismatches(doc: object, got: object, path: str = "") -> list[str]:
    if isinstance(doc, dict) and isinstance(got, dict):
        if path.rsplit(".", 1)[-1] in KEYED_BY_DATA:
            pairs = [(next(iter(doc.values())), v) for v in got.values()] if doc else []
            return [m for d, g in pairs for m in _shape_mismatches(d, g, path + ".*")]
        problems = [f"{path}.{k}: documented, not output" for k in doc.keys() - got.keys()]
        problems += [f"{path}.{k}: output, not documented" for k in got.keys() - doc.keys()]
        for k in doc.keys() & got.keys():
            problems += _shape_mismatches(doc[k], got[k], f"{path}.{k}")
        return problems
    if isinstance(doc, list) and isinstance(got, list):
        if not doc:
            return []
        # Items together show every field an item can have (`extent` only on some mentions).
        if isinstance(doc[0], dict):
            merged_doc = {k: v for item in reversed(doc) for k, v in item.items()}
            merged_got = {k: v for item in reversed(got) if isinstance(item, dict) for k, v in item.items()}
            return _shape_mismatches(merged_doc, merged_got, path + "[]") if got else []
        return [m for g in got for m in _shape_mismatches(doc[0], g, path + "[]")]
    return []


def test_json_output_matches_docs(seeds_compared: tuple[Comparison, dict], resolver: Resolver) -> None:
    from storylens.clean import load_article
    from storylens.report.jsonout import clean_json, resolution_json

    examples = _documented_examples()
    assert set(examples) == {"resolve", "clean", "compare"}
    article = load_article(seed_path("003"))
    outputs = {
        "resolve": resolution_json(resolver.resolve(article)),
        "clean": clean_json(article),
        "compare": seeds_compared[1],
    }
    for name, got in outputs.items():
        mismatches = sorted(set(_shape_mismatches(examples[name], got, name)))
        assert not mismatches, mismatches


# The same-claim decision ----------------------------------------------------


def test_demo_strike_claims_align(comparer: Comparer) -> None:
    from importlib.resources import files

    folder = Path(str(files("storylens") / "examples"))
    collected = collect([folder])
    result = comparer.compare(collected.articles)
    (own,) = [g for g in result.claims if any("went on strike on Tuesday" in c.text for c in g.claims)]
    assert result.reporters(own.id) == sorted(a.id for a in result.articles), "all three report the strike"
    evidence = [c.text for v in result.verdicts if v.fact == own.id and v.article != "bay_wire" for c in v.evidence]
    assert any("walked off the job" in t for t in evidence), "harbor_gazette's lead is its evidence"
    assert own not in result.unique_claims("bay_wire")
    assert not [g for g in result.omitted_claims("bay_wire") if "walked off the job" in g.text]
    from storylens.align.verdicts import check_invariants

    assert check_invariants(result) == []
    data = comparison_json(result)
    assert own.id in [x["fact"] for x in data["summary"]["all_report"]]
    claim = next(c for c in data["claims"] if c["id"] == own.id)
    for item in claim["occurrences"] + claim["partial"]:
        article = next(a for a in collected.articles if a.id == item["article"])
        assert article.text[item["start"] : item["end"]] == item["text"]


def test_judge_pairs_skips_pairs_below_the_prefilter() -> None:
    from storylens.align.same_claim import Pair, RuleJudge, judge_pairs

    judge = RuleJudge()
    pairs = [Pair("The port closed on Tuesday.", "The port closed on Tuesday.", 1.0), Pair("a b c", "x y z", 0.2)]
    probs = judge_pairs(judge, pairs, prefilter=0.5)
    assert probs[0] >= judge.threshold and probs[1] == 0.0


def test_shipped_judge_combines_both_models_and_separates_paraphrase_from_unrelated() -> None:
    from storylens.align.embed import Embedder
    from storylens.align.same_claim import FEATURES, CrossEncoderJudge, EnsembleJudge, FeatureJudge, Pair, load_judge

    judge = load_judge()
    assert isinstance(judge, EnsembleJudge)
    assert [type(j) for j in judge.judges] == [CrossEncoderJudge, FeatureJudge]
    assert tuple(judge.judges[1].meta["features"]) == FEATURES
    texts = [
        "Workers at the port went on strike on Tuesday.",
        "Port workers walked off the job on Tuesday.",
        "The mayor faces an election in May.",
    ]
    vectors, tokens = Embedder().encode_with_tokens(texts)
    same, other = judge.probabilities(
        [
            Pair(texts[0], texts[1], float(vectors[0] @ vectors[1]), tokens[0], tokens[1]),
            Pair(texts[0], texts[2], float(vectors[0] @ vectors[2]), tokens[0], tokens[2]),
        ]
    )
    assert same >= judge.threshold > other


def test_claim_pairs_benchmark_scores_a_pair_file(tmp_path: Path) -> None:
    rows = [
        "label\tsentence1\tsentence2\tid1\tid2",
        "1\tWorkers at the Port of Marlow went on strike on Tuesday.\tDockworkers at the Port of Marlow walked off "
        "the job on Tuesday.\t1\t2",
        "0\tThe mayor faces an election in May.\tThe port authority offered a raise of four percent.\t3\t4",
    ]
    pairs = tmp_path / "p.tsv"
    pairs.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "claim_pairs.py"
    proc = subprocess.run(
        [sys.executable, str(script), "--pairs", str(pairs), "--json", str(out)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-1500:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result) == {"accuracy", "precision", "recall", "f1", "n"} and result["n"] == 2
    assert result["accuracy"] == 100.0


def test_quote_segments_do_not_end_at_titles_or_initialisms() -> None:
    from storylens.align.quote_groups import segments_of

    text = "Rather than agreeing to disarm, Mr. Kim tested again. The U.S. Navy moved ships. It was late."
    got = [s.text for s in segments_of(_quote("a", text))]
    assert got == [
        "Rather than agreeing to disarm, Mr. Kim tested again.",
        "The U.S. Navy moved ships.",
        "It was late.",
    ]
