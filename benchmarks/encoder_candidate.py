"""Would another sentence encoder keep the same-claim decision's quality?

For a candidate (a file of distilled layers from ``scripts/distill_encoder.py``,
or none for the full MiniLM-L6), run on torch: embed MRPC train and dev, refit
the feature trees the way ``scripts/train_claims.py`` does (5-fold train
accuracy picks their size and threshold), pair them with the shipped
cross-encoder as compare does, and print train cross-validation and dev
accuracy / F1 at the 0.5 prefilter and at the candidate's own 99 %-of-train
prefilter. Nothing is written; ship a candidate with train_claims.py.

    .venv/bin/python benchmarks/encoder_candidate.py [--layers FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))
MRPC = HERE.parent.parent / "shared" / "benchmarks" / "mrpc"


def load_encoder(layers: Path | None) -> tuple[Any, Any]:
    from transformers import AutoTokenizer, BertModel

    from storylens.align.claim_encoder import base_model_dir
    from storylens.align.sentence_encoder import shrink

    folder = str(base_model_dir())
    bert = BertModel.from_pretrained(folder, add_pooling_layer=False).eval()
    if layers is not None:
        shrink(bert, layers)
    return bert, AutoTokenizer.from_pretrained(folder)


def encode(bert: Any, tokenizer: Any, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Mean-pooled unit vectors and unit token vectors without [CLS] and [SEP], as Embedder gives."""
    import torch

    vectors, tokens = [], []
    with torch.inference_mode():
        for start in range(0, len(texts), 32):
            batch = tokenizer(
                texts[start : start + 32], padding=True, truncation=True, max_length=256, return_tensors="pt"
            )
            hidden = bert(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            vectors.append(torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy())
            for row, n in zip(hidden, batch["attention_mask"].sum(1).tolist(), strict=True):
                t = row[1 : n - 1].numpy() if n > 2 else row[:n].numpy()
                tokens.append(t / np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-9))
    return np.concatenate(vectors), tokens


def main() -> None:
    from train_claims import fit_trees, read_pairs, scores

    from storylens.align.same_claim import CrossEncoderJudge, Pair, pair_features

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--layers", type=Path, help="distilled layers (safetensors); the full MiniLM-L6 without")
    args = ap.parse_args()
    bert, tokenizer = load_encoder(args.layers)
    print(f"candidate: {args.layers or 'full MiniLM-L6'} ({len(bert.encoder.layer)} layers)")

    def pairs(path: Path) -> tuple[list[Pair], np.ndarray]:
        a, b, y = read_pairs(path)
        va, ta = encode(bert, tokenizer, a)
        vb, tb = encode(bert, tokenizer, b)
        return [Pair(x, z, float(va[i] @ vb[i]), ta[i], tb[i]) for i, (x, z) in enumerate(zip(a, b, strict=True))], y

    train, ty = pairs(MRPC / "train.tsv")
    dev, dy = pairs(MRPC / "dev.tsv")
    xt = np.array([pair_features(p.a, p.b, p.cosine, p.ta, p.tb) for p in train])
    xd = np.array([pair_features(p.a, p.b, p.cosine, p.ta, p.tb) for p in dev])
    trees, (acc, f1, iters, rate, th) = fit_trees(xt, ty)
    print(
        f"feature trees: 5-fold train accuracy {acc:.1f} F1 {f1:.1f} (trees {iters}, rate {rate}, threshold {th:.2f})"
    )
    features = trees.predict_proba(xd)[:, 1]
    cross = CrossEncoderJudge()
    both = (features + cross.probabilities(dev)) / 2
    both_threshold = round((th + cross.threshold) / 2, 3)
    train_cos = np.array([p.cosine for p in train])
    dev_cos = np.array([p.cosine for p in dev])
    own = float(np.floor(np.quantile(train_cos[ty == 1], 0.01) * 100) / 100)
    for prefilter in sorted({0.5, own}):
        keep = dev_cos >= prefilter
        f = scores(dy, ((features >= th) & keep).astype(int))
        e = scores(dy, ((both >= both_threshold) & keep).astype(int))
        print(f"prefilter {prefilter:.2f}: MRPC dev features {f[0]:.1f} / {f[1]:.1f};", end=" ")
        print(f"with the cross-encoder {e[0]:.1f} / {e[1]:.1f}")


if __name__ == "__main__":
    main()
