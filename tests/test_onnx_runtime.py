"""The ONNX Runtime copies of MiniLM and the claim judge give torch's numbers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from storylens.align import onnx_models
from storylens.align.claim_encoder import ClaimEncoder
from storylens.align.embed import Embedder

SENTENCES = [
    "Workers at the Port of Marlow went on strike on Tuesday.",
    "Dockworkers at the Port of Marlow walked off the job on Tuesday.",
    "The council did not approve the harbour budget.",
    "Short.",
]


@pytest.fixture(scope="module")
def models() -> onnx_models.OnnxModels:
    found = onnx_models.shared()
    assert found is not None, "make install builds the ONNX models; compare builds them on first use"
    return found


def test_embeddings_match_torch(models: onnx_models.OnnxModels, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = Embedder()
    assert fast.runtime == "onnxruntime"
    monkeypatch.setenv("STORYLENS_RUNTIME", "torch")
    slow = Embedder(threads=1)
    assert slow.runtime == "torch"
    v1, t1 = fast.encode_with_tokens(SENTENCES)
    v2 = slow.encode(SENTENCES)
    assert np.abs(v1 - v2).max() < 1e-4
    # Token vectors: one per word piece, [CLS], [SEP] and padding left out.
    assert [len(t) for t in t1] == [len(models.tokenizer.encode(s).ids) - 2 for s in SENTENCES]


def test_claim_judge_matches_torch(models: onnx_models.OnnxModels) -> None:
    pairs = [(a, b) for a in SENTENCES for b in SENTENCES]
    fast = ClaimEncoder().probabilities(pairs)
    slow = ClaimEncoder(torch_only=True).probabilities(pairs)
    assert np.abs(fast - slow).max() < 1e-3
    assert fast[1] > fast[2] and fast[2] < 0.5  # strike vs strike scores above strike vs budget


def test_unverified_or_missing_files_are_never_used(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLENS_HOME", str(tmp_path))
    assert onnx_models.load() is None  # nothing built there
    folder = onnx_models.model_dir()
    folder.mkdir(parents=True)
    (folder / onnx_models.MANIFEST).write_text(json.dumps({"verified": False}))
    assert onnx_models.load() is None
    monkeypatch.setenv("STORYLENS_RUNTIME", "fast")
    with pytest.raises(ValueError, match="STORYLENS_RUNTIME"):
        onnx_models.runtime()
