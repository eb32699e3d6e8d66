"""storylens inside someone else's spaCy pipeline: the components, their
results on the Doc, and a saved pipeline that loads with plain ``spacy.load``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import storylens
from storylens.coref.resolver import Resolver

from conftest import seed_path

SAVE = """
import sys, storylens
nlp = storylens.pipeline()
nlp.to_disk(sys.argv[1])
"""

# Loads the saved pipeline in an interpreter that never imported storylens: spaCy
# must find the factories through their entry points.
LOAD = """
import json, sys
import spacy
assert not any(m.startswith("storylens") for m in sys.modules), "storylens imported before spacy.load"
nlp = spacy.load(sys.argv[1])
doc = nlp(json.load(open(sys.argv[2], encoding="utf-8"))["text"])
print(json.dumps({
    "pipes": nlp.pipe_names,
    "resolved": doc._.resolved_text,
    "clusters": sorted(k for k in doc.spans if k.startswith("coref_clusters_")),
    "quotes": [[s.text, s._.speaker] for s in doc.spans["quotes"]],
}))
"""


def test_saved_pipeline_loads_without_import_and_resolves_like_the_cli(tmp_path: Path) -> None:
    cli = subprocess.run(
        [sys.executable, "-m", "storylens.cli", "resolve", "--json", str(seed_path("000"))],
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(cli.stdout)
    (tmp_path / "res.json").write_text(cli.stdout, encoding="utf-8")
    subprocess.run([sys.executable, "-c", SAVE, str(tmp_path / "nlp")], check=True, capture_output=True, text=True)
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD, str(tmp_path / "nlp"), str(tmp_path / "res.json")],
        capture_output=True,
        text=True,
    )
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    got = json.loads(loaded.stdout)
    assert got["pipes"][-2:] == ["storylens_coref", "storylens_quotes"]
    assert got["resolved"] == expected["resolved"]
    assert len(got["clusters"]) == len(expected["clusters"])
    assert ["Dmitry Peskov" in (speaker or "") for _, speaker in got["quotes"]].count(True) >= 3


def test_component_results_match_the_resolver(resolver: Resolver) -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov spoke to CNN on Sunday. He said the meetings were routine. "
        "“We will respect the choice of the American people,” he said."
    )
    nlp = storylens.pipeline()
    doc = nlp(text)
    res = storylens.resolve(text, clean=False)
    assert doc._.resolved_text == res.resolved
    assert "Dmitry Peskov said the meetings" in doc._.resolved_text
    assert [c.canonical for c in doc._.coref_clusters] == [c.canonical for c in res.clusters]
    first = doc.spans["coref_clusters_1"]
    assert [s.text for s in first] == [m.text for m in res.clusters[0].mentions]
    reported, quote = doc.spans["quotes"]
    assert quote.text.startswith("We will respect") and quote._.speaker == "Dmitry Peskov"
    assert (quote._.kind, quote._.cue, quote.label_) == ("direct", "said", "QUOTE")
    # `He said the meetings were routine.`: reported speech, its speaker through coreference.
    assert reported.text == "the meetings were routine"
    assert (reported._.kind, reported._.cue, reported.label_) == ("indirect", "said", "REPORTED")
    assert reported._.speaker == "Dmitry Peskov"
    assert [s.text for s in doc.spans["quote_speakers"]] == ["He", "he"]


def test_quotes_component_alone_names_the_speaking_phrase() -> None:
    import spacy

    from storylens.nlp.pipeline import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("storylens_quotes")
    doc = nlp("“The answer is very simple, no,” the Kremlin spokesman told reporters.")
    (quote,) = doc.spans["quotes"]
    assert quote.text == "The answer is very simple, no"
    assert quote._.speaker == "the Kremlin spokesman"


def test_coref_component_config_turns_learning_and_passes() -> None:
    from storylens.nlp.pipeline import fresh_pipeline

    nlp = fresh_pipeline()
    pipe = nlp.add_pipe("storylens_coref", config={"learned": False, "passes": ["exact_name_match"]})
    assert pipe.backend.scorer is None and [p.__name__ for p in pipe.backend.passes] == ["exact_name_match"]
    assert nlp.get_pipe_meta("storylens_coref").default_config["learned"] is True
