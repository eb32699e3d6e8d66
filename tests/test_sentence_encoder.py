"""The shipped sentence encoder: MiniLM-L6's embeddings under fewer distilled layers."""

from __future__ import annotations

import numpy as np
import pytest

from storylens.align import sentence_encoder
from storylens.align.embed import Embedder
from storylens.errors import ModelMissingError

SENTENCES = [
    "Workers at the Port of Marlow went on strike on Tuesday.",
    "Dockworkers at the Port of Marlow walked off the job on Tuesday.",
    "The council did not approve the harbour budget.",
    "A new species of frog was found in the rainforest.",
]


def _full_minilm_vectors(texts: list[str]) -> np.ndarray:
    import torch
    from transformers import AutoTokenizer, BertModel

    from storylens.align.claim_encoder import base_model_dir

    folder = str(base_model_dir())
    bert = BertModel.from_pretrained(folder, add_pooling_layer=False).eval()
    batch = AutoTokenizer.from_pretrained(folder)(texts, padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = bert(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    pooled = ((hidden * mask).sum(1) / mask.sum(1)).numpy()
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def test_the_shipped_encoder_is_shallower_and_close_to_minilm() -> None:
    path = sentence_encoder.default_model_path()
    assert path.exists(), "align/models/sentence_encoder.safetensors ships with the package"
    layers = sentence_encoder.layer_count(path)
    assert layers < 6 and len(sentence_encoder.teacher_layers(path)) == layers
    embedder = Embedder()
    assert embedder.name == sentence_encoder.encoder_id() and f"{layers} distilled layers" in embedder.name
    mine = embedder.encode(SENTENCES)
    full = _full_minilm_vectors(SENTENCES)
    # Not the teacher's numbers (a distilled layer's vectors keep a cosine of
    # 0.57-0.76 with the teacher's here) but its geometry: each sentence's vector
    # nearest the teacher's vector of that sentence, and the paraphrase pair still
    # the closest pair. How well the pairs' order is kept is measured at scale:
    # rank correlation over MRPC dev pairs in sentence_encoder.json.
    assert (np.argmax(mine @ full.T, axis=1) == np.arange(len(SENTENCES))).all()
    assert not np.allclose(mine, full, atol=1e-3)
    sims = mine @ mine.T
    np.fill_diagonal(sims, -1)
    assert np.unravel_index(np.argmax(sims), sims.shape) in {(0, 1), (1, 0)}


def test_a_judge_fitted_on_another_encoder_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from storylens.align import same_claim

    monkeypatch.setattr(sentence_encoder, "encoder_id", lambda path=None: "some other encoder")
    with pytest.raises(ModelMissingError, match="fitted on vectors of"):
        same_claim.FeatureJudge()
    with pytest.warns(UserWarning, match="same-claim model missing"):
        judge = same_claim.load_judge()
    assert isinstance(judge, same_claim.CrossEncoderJudge)


def test_without_the_file_the_full_minilm_is_used(tmp_path) -> None:
    missing = tmp_path / "none.safetensors"
    assert sentence_encoder.encoder_id(missing) == sentence_encoder.FULL

    class Bert:
        pass

    bert = Bert()
    assert sentence_encoder.shrink(bert, missing) is bert
