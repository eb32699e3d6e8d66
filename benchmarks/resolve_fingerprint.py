"""Does a change to the resolver change what it outputs? Fingerprint and compare.

Resolves the ECB+ articles (train and dev) and the seeds, and writes, per
article, a hash of everything the resolution carries downstream: the resolved
text, every cluster's mentions (offsets and kind), the quotes with their
speakers and the singletons. Run it before a change with ``--out``, after it
with ``--against``: it prints how many articles differ, and which.

    .venv/bin/python benchmarks/resolve_fingerprint.py --out before.json
    .venv/bin/python benchmarks/resolve_fingerprint.py --against before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "benchmarks" / "ecbplus" / "articles.jsonl"
SEEDS = ROOT.parent / "shared" / "seeds"


def fingerprints() -> dict[str, str]:
    from storylens.clean import clean_text
    from storylens.coref.resolver import Resolver
    from storylens.model import Article

    articles = []
    for line in ECB.open(encoding="utf-8"):
        r = json.loads(line)
        if r["text"].strip():
            articles.append(Article(id=r["id"], raw=r["text"], text=clean_text(r["text"]).text))
    for p in sorted(SEEDS.glob("*.txt")):
        raw = p.read_text(encoding="utf-8")
        articles.append(Article(id=p.stem, raw=raw, text=clean_text(raw).text))
    out = {}
    for res in Resolver().resolve_many(articles, batch_size=8):
        facts = [
            res.resolved,
            [[(m.start, m.end, m.kind) for m in c.mentions] for c in res.clusters],
            [(q.start, q.end, q.speaker) for q in res.quotes],
            [(m.start, m.end) for m in res.singletons],
        ]
        out[res.article.id] = hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="write the fingerprints here")
    ap.add_argument("--against", type=Path, help="compare with fingerprints written before")
    args = ap.parse_args()
    now = fingerprints()
    if args.out:
        args.out.write_text(json.dumps(now, indent=0) + "\n", encoding="utf-8")
    print(f"{len(now)} articles resolved")
    if args.against:
        before = json.loads(args.against.read_text(encoding="utf-8"))
        differ = sorted(k for k in now.keys() | before.keys() if now.get(k) != before.get(k))
        print(f"{len(differ)} of {len(now)} differ" + (f": {', '.join(differ[:20])}" if differ else ""))


if __name__ == "__main__":
    main()
