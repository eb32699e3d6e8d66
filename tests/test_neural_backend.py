"""The optional fastcoref backend: its conversion logic always, the model only where installed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from storylens.coref.backend import backend_named
from storylens.coref.neural import clusters_from_spans
from storylens.errors import ModelMissingError
from storylens.nlp.pipeline import load_pipeline

from conftest import seed_path

HAS_FASTCOREF = importlib.util.find_spec("fastcoref") is not None


def test_spans_become_typed_clusters() -> None:
    text = "Mayor Elena Ruiz urged both sides to talk. The mayor said she would meet them."
    doc = load_pipeline()(text)
    spans = [
        [
            (text.index("Mayor Elena Ruiz"), text.index(" urged")),
            (text.index("The mayor"), text.index(" said")),
            (text.index("she"), text.index("she") + 3),
        ]
    ]
    (cluster,) = clusters_from_spans(doc, spans, "a1")
    assert [m.kind for m in cluster.mentions] == ["name", "nominal", "pronoun"]
    assert cluster.canonical == "Mayor Elena Ruiz" and cluster.type == "PERSON"
    assert all(text[m.start : m.end] == m.text for m in cluster.mentions)


@pytest.mark.skipif(HAS_FASTCOREF, reason="fastcoref is installed here; the missing-package path cannot be shown")
def test_missing_fastcoref_is_a_clear_error() -> None:
    with pytest.raises(ModelMissingError, match="pip install fastcoref"):
        backend_named("fastcoref")
    proc = subprocess.run(
        [sys.executable, "-m", "storylens.cli", "resolve", "--backend", "fastcoref", str(seed_path("000"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2 and "pip install fastcoref" in proc.stderr and "Traceback" not in proc.stderr


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown coreference backend"):
        backend_named("crystal-ball")


@pytest.mark.skipif(not HAS_FASTCOREF, reason="needs the optional fastcoref backend and its weights")
def test_fastcoref_resolves_a_seed() -> None:  # pragma: no cover - runs only where the backend is installed
    from storylens.clean import load_article
    from storylens.coref.resolver import Resolver

    try:
        resolver = Resolver(backend=backend_named("fastcoref"))
    except ModelMissingError as e:
        pytest.skip(str(e))
    res = resolver.resolve(load_article(seed_path("000")))
    assert any(c.canonical and "Peskov" in c.canonical for c in res.clusters)
