"""Fit the same-claim model on MRPC train; report MRPC dev.

    .venv/bin/python scripts/train_claims.py [--mrpc DIR] [--out PATH]

Features come from ``storylens.align.same_claim.pair_features`` with the MiniLM
cosine of the two sentences (the embedder ``compare`` uses). A logistic
regression (scikit-learn, a development dependency) is fitted on train for
each L2 strength; the strength is chosen by 5-fold cross-validation on train,
and the decision threshold is the one that maximises accuracy on train. Dev is
only reported, never used to choose. Embeddings are cached beside the data in
a temporary folder so reruns are quick.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from storylens.align.embed import Embedder
from storylens.align.same_claim import FEATURES, SameClaim, default_model_path, pair_features

ROOT = Path(__file__).resolve().parent.parent
MRPC = ROOT.parent / "shared" / "benchmarks" / "mrpc"


def read_pairs(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    a, b, y = [], [], []
    with path.open(encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            if len(row) < 3:
                continue
            y.append(int(row[0]))
            a.append(row[1])
            b.append(row[2])
    return a, b, np.array(y)


def cosines(embedder: Embedder, a: list[str], b: list[str]) -> np.ndarray:
    key = hashlib.sha1("\n".join(a + b).encode("utf-8")).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"storylens-mrpc-cos-{key}.npy"
    if cache.exists():
        return np.load(cache)
    va, vb = embedder.encode(a), embedder.encode(b)
    cos = np.einsum("ij,ij->i", va, vb)
    np.save(cache, cos)
    return cos


def matrix(a: list[str], b: list[str], cos: np.ndarray) -> np.ndarray:
    return np.array([pair_features(x, y, float(c)) for x, y, c in zip(a, b, cos, strict=True)])


def scores(y: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    acc = float((pred == y).mean())
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return 100 * acc, 100 * f1


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mrpc", type=Path, default=MRPC)
    ap.add_argument("--out", type=Path, default=default_model_path())
    args = ap.parse_args()

    t = time.perf_counter()
    embedder = Embedder()
    ta, tb, ty = read_pairs(args.mrpc / "train.tsv")
    da, db, dy = read_pairs(args.mrpc / "dev.tsv")
    tcos, dcos = cosines(embedder, ta, tb), cosines(embedder, da, db)
    xt, xd = matrix(ta, tb, tcos), matrix(da, db, dcos)
    print(f"features for {len(ty)} train and {len(dy)} dev pairs in {time.perf_counter() - t:.0f} s")

    best = None
    for c in (0.1, 0.3, 1.0, 3.0, 10.0):
        model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
        cv = cross_val_score(model, xt, ty, cv=5, scoring="accuracy").mean()
        print(f"C={c:<5g} 5-fold train accuracy {100 * cv:.2f}")
        if best is None or cv > best[0]:
            best = (cv, c)
    assert best is not None
    model = LogisticRegression(C=best[1], fit_intercept=False, max_iter=5000).fit(xt, ty)
    p_train = model.predict_proba(xt)[:, 1]
    threshold = max(np.arange(0.2, 0.8, 0.01), key=lambda th: scores(ty, (p_train >= th).astype(int))[0])
    weights = {name: round(float(w), 5) for name, w in zip(FEATURES, model.coef_[0], strict=True)}
    # The lowest cosine at which any train pair reached the threshold, less a margin:
    # pairs below it are not scored at all in compare.
    reached = tcos[p_train >= threshold]
    min_cosine = round(float(reached.min()) - 0.05, 3) if len(reached) else 0.0
    same = SameClaim(weights, round(float(threshold), 2), {"C": best[1], "train_pairs": len(ty)}, min_cosine)

    for name, a, b, cos, y in (("train", ta, tb, tcos, ty), ("dev", da, db, dcos, dy)):
        pred = np.array([same.same(x, z, float(c)) for x, z, c in zip(a, b, cos, strict=True)]).astype(int)
        acc, f1 = scores(y, pred)
        print(f"{name}: accuracy {acc:.1f}  F1 {f1:.1f}  (threshold {same.threshold}, min cosine {min_cosine})")
    same.meta["dev_accuracy"], same.meta["dev_f1"] = (round(v, 1) for v in scores(
        dy, np.array([same.same(x, z, float(c)) for x, z, c in zip(da, db, dcos, strict=True)]).astype(int)
    ))
    same.save(args.out)
    print(f"saved {args.out}")


if __name__ == "__main__":
    sys.exit(main())
