"""Score storylens coreference on public benchmarks (GAP, OntoGUM).

    .venv/bin/python benchmarks/coref_eval.py [--only gap|ontogum] [--json OUT] [--limit N] [--split dev]

GAP: F1 overall, masculine, feminine and the bias ratio F/M on gap-test (the
paper's protocol: a prediction per candidate name, true when the pronoun's
cluster contains a mention overlapping that name).
OntoGUM: CoNLL-2012 MUC, B3, CEAF-e and their mean on the test documents, all
genres and news alone. The resolver reads the text rebuilt from CoNLL-U; each
mention's full noun phrase (``ontonotes_spans``) is mapped back to the gold tokens.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from storylens.coref.resolver import Resolver
from storylens.coref.scoring import conll_scores, ontonotes_spans
from storylens.model import Article

from corpus import read_gold, split_docs

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"


# GAP ----------------------------------------------------------------------


def gap_eval(resolver: Resolver, path: Path, limit: int = 0) -> dict[str, float]:
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    if limit:
        rows = rows[:limit]
    counts = {g: [0, 0, 0] for g in ("all", "m", "f")}  # tp, fp, fn
    for row in rows:
        text = row["Text"]
        res = resolver.resolve(Article(id=row["ID"], raw=text, text=text))
        p_off = int(row["Pronoun-offset"])
        # `his mother` starts where `his` does: look for the pronoun itself.
        cluster = next(
            (c for c in res.clusters if any(m.start == p_off and m.kind == "pronoun" for m in c.mentions)), None
        )
        gender = "f" if row["Pronoun"].lower() in ("she", "her", "hers", "herself") else "m"
        for cand in ("A", "B"):
            start = int(row[f"{cand}-offset"])
            end = start + len(row[cand])
            predicted = cluster is not None and any(
                m.start < end and start < m.end for m in cluster.mentions if m.start != p_off
            )
            gold = row[f"{cand}-coref"].upper() == "TRUE"
            for g in ("all", gender):
                c = counts[g]
                c[0] += predicted and gold
                c[1] += predicted and not gold
                c[2] += gold and not predicted

    def f1(tp: int, fp: int, fn: int) -> float:
        return 0.0 if tp == 0 else 100 * 2 * tp / (2 * tp + fp + fn)

    f_all, f_m, f_f = (f1(*counts[g]) for g in ("all", "m", "f"))
    return {"f1": f_all, "f1_masculine": f_m, "f1_feminine": f_f, "bias": f_f / f_m if f_m else 0.0, "n": len(rows)}


# OntoGUM ------------------------------------------------------------------


def ontogum_eval(resolver: Resolver, folder: Path, limit: int = 0, split: str = "test") -> dict[str, dict[str, float]]:
    """Scores on ``split``; the keys stay "test"/"test_news" whatever the split."""
    names = split_docs(folder / "splits.md", split)
    if limit:
        names = names[:limit]
    scored: dict[str, list] = {"test": [], "test_news": []}
    for name in names:
        gold = read_gold(folder, name)
        res = resolver.resolve(Article(id=name, raw=gold.text, text=gold.text))
        response = []
        for c in res.clusters:
            ms = {t for s, e in ontonotes_spans(c.mentions) if (t := gold.tokens(s, e)) is not None}
            if len(ms) > 1:
                response.append(frozenset(ms))
        scored["test"].append((gold.key, response))
        if "_news_" in name:
            scored["test_news"].append((gold.key, response))
    out = {}
    for part, docs in scored.items():
        out[part] = {**conll_scores(docs), "docs": len(docs)} if docs else {"docs": 0}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["gap", "ontogum"])
    ap.add_argument("--json", type=Path, help="write the scores here")
    ap.add_argument("--gap-dir", type=Path, default=SHARED / "gap")
    ap.add_argument("--ontogum-dir", type=Path, default=SHARED / "ontogum")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N items (for a quick look)")
    ap.add_argument(
        "--split", choices=["test", "dev"], default="test", help="dev: GAP validation and OntoGUM dev, for development"
    )
    args = ap.parse_args()
    for folder, part in ((args.gap_dir, "gap"), (args.ontogum_dir, "ontogum")):
        if args.only in (None, part) and not folder.exists():
            sys.exit(f"error: {folder} not found (pass --{part}-dir)")
    resolver = Resolver()
    results: dict[str, object] = {}
    if args.only in (None, "gap"):
        t = time.perf_counter()
        gap_split = "test" if args.split == "test" else "validation"
        gap = gap_eval(resolver, args.gap_dir / f"gap-{gap_split}.tsv", args.limit)
        results["gap"] = gap
        print(f"GAP {gap_split} ({gap['n']} examples, {time.perf_counter() - t:.0f} s)")
        print(
            f"  F1 {gap['f1']:.1f}   masculine {gap['f1_masculine']:.1f}   feminine {gap['f1_feminine']:.1f}"
            f"   bias F/M {gap['bias']:.3f}"
        )
    if args.only in (None, "ontogum"):
        t = time.perf_counter()
        scores = ontogum_eval(resolver, args.ontogum_dir, args.limit, split=args.split)
        onto = {part.replace("test", args.split): s for part, s in scores.items()}
        results["ontogum"] = onto
        print(f"OntoGUM ({time.perf_counter() - t:.0f} s)")
        print(f"  {'part':<10} {'docs':>4} {'MUC':>6} {'B3':>6} {'CEAF-e':>7} {'CoNLL':>6}")
        for part, s in onto.items():
            if s.get("docs"):
                print(f"  {part:<10} {s['docs']:>4} {s['muc']:6.1f} {s['b3']:6.1f} {s['ceafe']:7.1f} {s['conll']:6.1f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
