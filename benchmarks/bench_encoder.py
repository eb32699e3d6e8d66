"""Would another build of the sentence encoder make compare faster? Measured, not assumed.

The sentence encoder is most of a warm comparison's time (bench_compare.py).
This script times the full MiniLM-L6 (exported to ONNX here) beside:
- ``fused``: it through onnxruntime.transformers' BERT optimizer (fused
  attention, skip-layer-norm and bias-GELU kernels), still fp32;
- ``int8``: it with dynamic int8 quantisation of the weights (onnxruntime.quantization);
- ``distilled``: the shipped encoder (``align/sentence_encoder.py``), the same
  embedding layer under fewer layers distilled by scripts/distill_encoder.py.
Input: the claims compare embeds for 5 OntoGUM articles cut to ~800 words (the
bench_compare articles). Per build and thread count: best of ``--repeat``
seconds, and how far its outputs move from the shipped build's (largest
hidden-state difference, largest change of a claim-pair cosine) and the rank
correlation of all claim-pair cosines with the full model's. The CPU's
vector extensions are printed, since int8 pays off only with VNNI/AMX.

    .venv/bin/python benchmarks/bench_encoder.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def cpu_flags() -> str:
    try:
        flags = next(line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags"))
    except (OSError, StopIteration):
        return "unknown"
    wanted = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8")
    have = set(flags.split(":", 1)[1].split())
    return ", ".join(f"{f} {'yes' if f in have else 'no'}" for f in wanted)


def claims_of_five() -> list[str]:
    from bench_compare import articles
    from storylens.align.claims import extract_claims
    from storylens.align.settings import DEFAULT
    from storylens.coref.resolver import Resolver

    out: list[str] = []
    for parsed in Resolver().parse(articles(5)):
        assert parsed.resolution is not None and parsed.doc is not None
        out += [c.resolved for c in extract_claims(parsed.resolution, parsed.doc, DEFAULT.claims)]
    return out


def builds(folder: Path, tokenizer: object) -> dict[str, Path]:
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import BertModel

    from storylens.align import onnx_models
    from storylens.align.claim_encoder import base_model_dir
    from storylens.align.sentence_encoder import default_model_path

    full = folder / "full.onnx"
    bert = BertModel.from_pretrained(str(base_model_dir()), add_pooling_layer=False, attn_implementation="eager")
    onnx_models.export_hidden(bert.eval(), full, tokenizer)
    out = {"MiniLM-L6": full}
    fused = optimize_model(str(full), model_type="bert", num_heads=12, hidden_size=384, opt_level=1)
    out["fused"] = folder / "fused.onnx"
    fused.save_model_to_file(str(out["fused"]))
    out["int8"] = folder / "int8.onnx"
    quantize_dynamic(str(full), str(out["int8"]), weight_type=QuantType.QInt8)
    if default_model_path().exists():
        out["distilled"] = onnx_models.model_dir() / onnx_models.EMBEDDER_FILE
    return out


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    ra, rb = (np.argsort(np.argsort(x)).astype(np.float64) for x in (a, b))
    return float(np.corrcoef(ra, rb)[0, 1])


def sentence_vectors(hidden: list[np.ndarray]) -> np.ndarray:
    v = np.stack([h.mean(axis=0) for h in hidden])
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from storylens.align import onnx_models

    models = onnx_models.shared()
    if models is None:
        sys.exit("the ONNX models are not built: run `storylens models build`")
    texts = claims_of_five()
    n_tokens = sum(len(e.ids) for e in models.tokenizer.encode_batch(texts))
    print(f"CPU: {cpu_flags()}")
    print(f"{len(texts)} claims, {n_tokens} tokens (5 articles of ~800 words)")
    head = ("build", "threads", "seconds", "vs full", "max hidden diff", "max cosine diff", "rank corr")
    print(" ".join(f"{h:>{w}}" for h, w in zip(head, (9, 7, 8, 8, 16, 16, 9), strict=True)))
    reference: list[np.ndarray] | None = None
    full_s: dict[int, float] = {}
    upper = np.triu_indices(len(texts), 1)
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, path in builds(Path(tmp), models.tokenizer).items():
            for threads in (1, 2):
                models.embedder = onnx_models._session(path, threads)
                models.hidden(texts[:16])
                best = float("inf")
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    hidden = models.hidden(texts)
                    best = min(best, time.perf_counter() - t)
                if reference is None:
                    reference = hidden
                full_s.setdefault(threads, best)
                diff = max(float(np.abs(a - b).max()) for a, b in zip(hidden, reference, strict=True))
                mine, ref = sentence_vectors(hidden), sentence_vectors(reference)
                cos = float(np.abs(mine @ mine.T - ref @ ref.T).max())
                rho = rank_correlation((mine @ mine.T)[upper], (ref @ ref.T)[upper])
                print(
                    f"{name:>9} {threads:7d} {best:8.2f} {best / full_s[threads]:7.2f}x "
                    f"{diff:16.2g} {cos:16.2g} {rho:9.3f}"
                )


if __name__ == "__main__":
    main()
