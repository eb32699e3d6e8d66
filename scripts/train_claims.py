"""Fit the same-claim model on MRPC train; report MRPC dev.

    .venv/bin/python scripts/train_claims.py [--mrpc DIR] [--out PATH]

Features are ``storylens.align.same_claim.pair_features`` of each pair: the
MiniLM cosine and token-vector alignment (the embedder ``compare`` uses) and
lexical signals. Gradient-boosted trees (scikit-learn's
HistGradientBoostingClassifier) are fitted on train; their size is chosen by
5-fold cross-validated accuracy on train and the decision threshold on the
out-of-fold train predictions. Dev is only reported. Writes
``align/models/same_claim.json`` (features, threshold, versions, scores) and
``same_claim.pkl`` (the trees). Embeddings are cached in a temporary folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from storylens.align.embed import Embedder
from storylens.align.same_claim import FEATURES, Pair, default_model_path, pair_features

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from claim_pairs import read_pairs as read_pair_file

ROOT = Path(__file__).resolve().parent.parent
MRPC = ROOT.parent / "shared" / "benchmarks" / "mrpc"


def read_pairs(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    pairs, labels = read_pair_file(path)
    return [a for a, _ in pairs], [b for _, b in pairs], labels


def embedded_pairs(embedder: Embedder, a: list[str], b: list[str]) -> list[Pair]:
    key = hashlib.sha1("\n".join([embedder.name, *a, *b]).encode("utf-8")).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"storylens-mrpc-pairs-{key}.pkl"
    if cache.exists():
        with cache.open("rb") as f:
            return pickle.load(f)
    va, ta = embedder.encode_with_tokens(a)
    vb, tb = embedder.encode_with_tokens(b)
    pairs = [Pair(x, y, float(va[i] @ vb[i]), ta[i], tb[i]) for i, (x, y) in enumerate(zip(a, b, strict=True))]
    with cache.open("wb") as f:
        pickle.dump(pairs, f)
    return pairs


def matrix(pairs: list[Pair]) -> np.ndarray:
    return np.array([pair_features(p.a, p.b, p.cosine, p.ta, p.tb) for p in pairs])


def scores(y: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return 100 * float((pred == y).mean()), 100 * f1


def fit_trees(
    xt: np.ndarray, ty: np.ndarray, verbose: bool = False
) -> tuple[Any, tuple[float, float, int, float, float]]:
    """The trees fitted on all of train, with (5-fold accuracy, F1, trees, learning
    rate, threshold): size and threshold chosen by out-of-fold train accuracy."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import cross_val_predict

    best = None
    for iters in (100, 200, 400):
        for rate in (0.03, 0.06):
            model = HistGradientBoostingClassifier(max_iter=iters, learning_rate=rate, random_state=13)
            oof = cross_val_predict(model, xt, ty, cv=5, method="predict_proba")[:, 1]
            th = max(np.arange(0.3, 0.71, 0.01), key=lambda x: scores(ty, (oof >= x).astype(int))[0])
            acc, f1 = scores(ty, (oof >= th).astype(int))
            if verbose:
                print(f"trees {iters}, rate {rate}: 5-fold train accuracy {acc:.2f} F1 {f1:.2f} at threshold {th:.2f}")
            if best is None or acc > best[0]:
                best = (acc, f1, iters, rate, float(th))
    assert best is not None
    _, _, iters, rate, _ = best
    return HistGradientBoostingClassifier(max_iter=iters, learning_rate=rate, random_state=13).fit(xt, ty), best


def main() -> None:
    import sklearn

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mrpc", type=Path, default=MRPC)
    ap.add_argument("--out", type=Path, default=default_model_path())
    args = ap.parse_args()

    t = time.perf_counter()
    embedder = Embedder()
    ta, tb, ty = read_pairs(args.mrpc / "train.tsv")
    da, db, dy = read_pairs(args.mrpc / "dev.tsv")
    xt = matrix(embedded_pairs(embedder, ta, tb))
    xd = matrix(embedded_pairs(embedder, da, db))
    print(f"features for {len(ty)} train and {len(dy)} dev pairs in {time.perf_counter() - t:.0f} s")

    model, (cv_acc, cv_f1, iters, rate, th) = fit_trees(xt, ty, verbose=True)
    dacc, df1 = scores(dy, (model.predict_proba(xd)[:, 1] >= th).astype(int))
    print(f"chosen: trees {iters}, rate {rate}, threshold {th:.2f}; MRPC dev accuracy {dacc:.1f} F1 {df1:.1f}")
    meta = {
        "features": list(FEATURES),
        "encoder": embedder.name,
        "threshold": round(th, 2),
        "trees": iters,
        "learning_rate": rate,
        "sklearn": sklearn.__version__,
        "train_cv_accuracy": round(cv_acc, 1),
        "train_cv_f1": round(cv_f1, 1),
        "dev_accuracy": round(dacc, 1),
        "dev_f1": round(df1, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    with args.out.with_suffix(".pkl").open("wb") as f:
        pickle.dump(model, f)
    size = args.out.with_suffix(".pkl").stat().st_size
    print(f"saved {args.out} and {args.out.with_suffix('.pkl').name} ({size} bytes)")


if __name__ == "__main__":
    main()
