"""Cross-article entity linking on ECB+ gold entity chains, per story.

Each gold story's articles are resolved and linked exactly as ``compare`` does
(``align.entities.link_entities`` over every article's clusters and lone
descriptions). A gold mention is found when a storylens mention covers it
(one span inside the other, best overlap first, each storylens mention used
once). On the mentions found, the CoNLL metrics (MUC, B³, CEAF-e) score
storylens's entities and, beside them, a baseline that puts mentions with the
same head lemma together. Mention recall is printed too, and the recall of
gold links (pairs of found mentions in one gold chain) whose two mentions have
different head lemmas: the word-choice links (`Kim` / `the dictator`) that the
baseline can never make, overall and between articles.

With ``--context`` the linking also reads each description in its sentence
(``align.mention_context.MentionContext`` over the shipped sentence encoder).

    python benchmarks/entity_eval.py --split dev [--context] [--limit N] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from storylens.align.entities import link_entities
from storylens.align.mention_context import MentionContext
from storylens.coref.resolver import Resolver
from storylens.coref.scoring import b_cubed, ceaf_e, muc
from storylens.model import Article, Mention

DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "ecbplus"

Key = tuple[str, int, int]


def load(split: str) -> tuple[dict[str, dict], list[dict]]:
    arts = {}
    with open(DATA / "articles.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["split"] == split:
                arts[row["id"]] = row
    chains = []
    with open(DATA / "entity-chains.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["split"] == split:
                chains.append(row)
    return arts, chains


def gold_by_story(arts: dict[str, dict], chains: list[dict]) -> dict[str, list[list[Key]]]:
    """Per story, its gold chains cut to that story's articles (body text, annotated sentences)."""
    out: dict[str, list[list[Key]]] = defaultdict(list)
    for ch in chains:
        per_story: dict[str, list[Key]] = defaultdict(list)
        for m in ch["mentions"]:
            if m["field"] != "text" or not m["in_coref_sentences"] or m["article_id"] not in arts:
                continue
            per_story[arts[m["article_id"]]["story"]].append((m["article_id"], m["start"], m["end"]))
        for story, ms in per_story.items():
            out[story].append(ms)
    return out


def match(gold: list[Key], system: list[Mention]) -> dict[Key, Mention]:
    """Each gold mention to the storylens mention that covers it best (one inside the other)."""
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in system:
        by_article[m.article_id].append(m)
    options = []
    for g in gold:
        aid, gs, ge = g
        for m in by_article[aid]:
            inter = min(ge, m.end) - max(gs, m.start)
            if inter <= 0:
                continue
            if not ((m.start <= gs and ge <= m.end) or (gs <= m.start and m.end <= ge)):
                continue
            options.append((inter / (max(ge, m.end) - min(gs, m.start)), g, m))
    options.sort(key=lambda o: -o[0])
    out: dict[Key, Mention] = {}
    used: set[int] = set()
    for _, g, m in options:
        if g in out or id(m) in used:
            continue
        out[g] = m
        used.add(id(m))
    return out


def prf(metric, key, response) -> tuple[float, float, float]:
    return metric([frozenset(c) for c in key], [frozenset(c) for c in response])


def link_recall(
    key: list[list[Key]], lemma_of: dict[Key, str], entity_of: dict[Key, int]
) -> dict[str, tuple[int, int]]:
    """Gold links the system makes, as (made, all), for the pairs whose head lemmas
    differ, and for those of them that cross articles."""
    out = {"cross_lemma": [0, 0], "cross_lemma_cross_article": [0, 0]}
    for chain in key:
        for i, a in enumerate(chain):
            for b in chain[i + 1 :]:
                if lemma_of[a] == lemma_of[b]:
                    continue
                made = int(entity_of[a] == entity_of[b])
                kinds = ["cross_lemma"] + (["cross_lemma_cross_article"] if a[0] != b[0] else [])
                for k in kinds:
                    out[k][0] += made
                    out[k][1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--context", action="store_true", help="link descriptions by their vectors in context too")
    ap.add_argument("--limit", type=int, help="only the first N stories (by name), for quick runs")
    args = ap.parse_args()

    arts, chains = load(args.split)
    if args.limit:
        keep = set(sorted({a["story"] for a in arts.values()})[: args.limit])
        arts = {k: a for k, a in arts.items() if a["story"] in keep}
    gold = gold_by_story(arts, chains)
    resolver = Resolver()
    t0 = time.perf_counter()
    articles = [Article(id=a["id"], raw=a["text"], text=a["text"], outlet=a.get("outlet")) for a in arts.values()]
    res = {r.article.id: r for r in resolver.resolve_many(articles)}
    parse_s = time.perf_counter() - t0

    context = None
    if args.context:
        from storylens.align.embed import Embedder

        context = MentionContext(Embedder().encode, {a["id"]: a["text"] for a in arts.values()})
    stories: dict[str, list[str]] = defaultdict(list)
    for a in arts.values():
        stories[a["story"]].append(a["id"])

    keys_all: list[list[Key]] = []
    sys_all: list[list[Key]] = []
    base_all: list[list[Key]] = []
    n_gold = n_found = 0
    links = {"cross_lemma": [0, 0], "cross_lemma_cross_article": [0, 0]}
    link_s = 0.0
    for story, ids in sorted(stories.items()):
        rs = [res[i] for i in ids]
        t = time.perf_counter()
        entities = link_entities(
            [c for r in rs for c in r.clusters], [m for r in rs for m in r.singletons], context=context
        )
        link_s += time.perf_counter() - t
        system: list[Mention] = []
        entity_of: dict[int, int] = {}
        for e_i, e in enumerate(entities):
            for c in e.clusters:
                for m in c.mentions:
                    system.append(m)
                    entity_of[id(m)] = e_i
        # Clusters and lone descriptions that no entity took are the system's singletons.
        for r in rs:
            for m in [m for c in r.clusters for m in c.mentions] + r.singletons:
                if id(m) not in entity_of:
                    system.append(m)
                    entity_of[id(m)] = len(entities) + len(entity_of)
        chains_g = gold[story]
        flat = [g for ch in chains_g for g in ch]
        found = match(flat, system)
        n_gold += len(flat)
        n_found += len(found)
        key = [[g for g in ch if g in found] for ch in chains_g]
        key = [k for k in key if k]
        sys_groups: dict[int, list[Key]] = defaultdict(list)
        base_groups: dict[str, list[Key]] = defaultdict(list)
        for g, m in found.items():
            sys_groups[entity_of[id(m)]].append(g)
            base_groups[m.lemma or m.text.split()[-1].lower()].append(g)
        keys_all += key
        lemma_of = {g: m.lemma or m.text.split()[-1].lower() for g, m in found.items()}
        for k, (made, total) in link_recall(key, lemma_of, {g: entity_of[id(m)] for g, m in found.items()}).items():
            links[k][0] += made
            links[k][1] += total
        sys_all += list(sys_groups.values())
        base_all += list(base_groups.values())

    def scores(response: list[list[Key]]) -> dict[str, float]:
        m, b, c = (prf(f, keys_all, response) for f in (muc, b_cubed, ceaf_e))
        return {
            "muc_f1": 100 * m[2],
            "b3_p": 100 * b[1],
            "b3_r": 100 * b[0],
            "b3_f1": 100 * b[2],
            "ceafe_f1": 100 * c[2],
            "conll_f1": 100 * (m[2] + b[2] + c[2]) / 3,
        }

    out = {
        "split": args.split,
        "context": args.context,
        "stories": len(stories),
        "articles": len(arts),
        "gold_mentions": n_gold,
        "mention_recall": 100 * n_found / max(n_gold, 1),
        "storylens": scores(sys_all),
        "same_head_lemma": scores(base_all),
        "cross_lemma_link_recall": 100 * links["cross_lemma"][0] / max(links["cross_lemma"][1], 1),
        "cross_lemma_links": links["cross_lemma"][1],
        "cross_lemma_cross_article_link_recall": 100
        * links["cross_lemma_cross_article"][0]
        / max(links["cross_lemma_cross_article"][1], 1),
        "cross_lemma_cross_article_links": links["cross_lemma_cross_article"][1],
        "parse_s": parse_s,
        "link_s": link_s,
    }
    print(f"ECB+ {args.split}: {len(arts)} articles, {len(stories)} stories, {n_gold} gold entity mentions")
    print(f"mention recall {out['mention_recall']:.1f} % ({n_found} found)")
    print(f"{'':16}{'B3 P':>7}{'B3 R':>7}{'B3 F1':>7}{'MUC':>7}{'CEAFe':>7}{'CoNLL':>7}")
    for name in ("storylens", "same_head_lemma"):
        s = out[name]
        print(
            f"{name:16}{s['b3_p']:7.1f}{s['b3_r']:7.1f}{s['b3_f1']:7.1f}{s['muc_f1']:7.1f}"
            f"{s['ceafe_f1']:7.1f}{s['conll_f1']:7.1f}"
        )
    print(
        f"cross-lemma link recall {out['cross_lemma_link_recall']:.1f} % of {out['cross_lemma_links']} links; "
        f"between articles {out['cross_lemma_cross_article_link_recall']:.1f} % "
        f"of {out['cross_lemma_cross_article_links']}"
    )
    print(f"parse {parse_s:.1f} s, linking {link_s:.2f} s (all stories)")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
