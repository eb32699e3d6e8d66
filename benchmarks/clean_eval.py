"""Score storylens cleaning against bare trafilatura on the shared HTML pages.

Reads ``../shared/benchmarks/html`` (see its README): token 4-shingle
precision/recall/F1 on WCXB full bodies, snippet P/R/F1 on every page, per
source and language group, for storylens (``load_article``'s path: decode,
extract, clean) and for ``trafilatura.extract`` with its defaults, in one run.
Pages storylens refuses are counted and scored as empty. For each storylens
rule, the removals that hit gold text are listed.

    python benchmarks/clean_eval.py --split dev --limit 200
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from storylens.clean import clean_article
from storylens.clean.html import extract_html
from storylens.clean.load import decode
from storylens.errors import StorylensError
from storylens.model import Article

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "html"
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = _WORD.findall(text or "")
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])


def body_pr(pred: str, body: str) -> tuple[float | None, float]:
    """Per-page shingle precision (None when nothing was returned) and recall."""
    p, g = shingles(pred), shingles(body)
    tp = sum((p & g).values())
    fp = sum(p.values()) - tp
    fn = sum(g.values()) - tp
    if fp == fn == 0:
        return 1.0, 1.0
    return (tp / (tp + fp) if tp + fp else None), (tp / (tp + fn) if tp + fn else 0.0)


def norm(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def snippet_counts(pred: str, page: dict) -> tuple[int, int, int]:
    out = norm(pred)
    tp = sum(norm(s) in out for s in page["with"])
    fp = sum(norm(s) in out for s in page["without"])
    return tp, fp, len(page["with"]) - tp


@dataclass
class Tally:
    pages: int = 0
    refused: int = 0
    body_p: list[float] = field(default_factory=list)
    body_r: list[float] = field(default_factory=list)
    tp: int = 0
    fp: int = 0
    fn: int = 0
    seconds: float = 0.0

    def add(self, pred: str | None, page: dict) -> None:
        self.pages += 1
        text = pred or ""
        if pred is None:
            self.refused += 1
        if page.get("body"):
            p, r = body_pr(text, page["body"])
            if p is not None:
                self.body_p.append(p)
            self.body_r.append(r)
        tp, fp, fn = snippet_counts(text, page)
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    def body(self) -> tuple[float, float, float] | None:
        if not self.body_r:
            return None
        p = sum(self.body_p) / len(self.body_p) if self.body_p else 0.0
        r = sum(self.body_r) / len(self.body_r)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def snippets(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def storylens_clean(data: bytes, name: str, removals: list[tuple[str, str]] | None = None) -> str | None:
    """The text ``storylens clean`` would print for these page bytes; None when it refuses."""
    text, _ = decode(data, name)
    try:
        extracted = extract_html(text, name)
        article = Article(id=name, raw=extracted.text, title=extracted.title)
        clean_article(article, name)
    except StorylensError:
        return None
    if removals is not None:
        removals.extend((e.rule, e.original) for e in article.cleaning if e.original.strip() and not e.replacement)
    return article.text


def bare_trafilatura(data: bytes, name: str) -> str | None:
    return trafilatura.extract(data) or ""


def in_split(page_id: str, split: str) -> bool:
    """A fixed half of the pages by hash of the id: ``train`` to fit, ``dev`` to choose."""
    if split == "all":
        return True
    dev = int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 2 == 0
    return dev if split == "dev" else not dev


def pages(data_dir: Path, split: str, source: str, lang: str | None, limit: int | None) -> Iterator[dict]:
    n = 0
    with open(data_dir / "gold.jsonl", encoding="utf-8") as fh:
        for line in fh:
            page = json.loads(line)
            if source != "all" and page["source"] != source:
                continue
            if lang and page["lang"] != lang:
                continue
            if not in_split(page["id"], split):
                continue
            if limit is not None and n >= limit:
                return
            n += 1
            yield page


def group_of(page: dict) -> str:
    if page["source"] == "wcxb":
        return "wcxb en"
    return f"traf {page['lang']}" if page["lang"] in {"de", "en"} else "traf other"


def gold_hit(removed: str, page: dict) -> bool:
    """A removal hits gold when it carries a shingle of the body or sits inside a ``with`` snippet."""
    text = norm(removed)
    if not text:
        return False
    if page.get("body"):
        body = norm(page["body"])
        if len(_WORD.findall(text)) >= 4:
            if shingles(text) & shingles(body):
                return True
        elif text in body:
            return True
    return any(text in norm(s) or norm(s) in text for s in page["with"])


def fmt(t: tuple[float, float, float] | None) -> str:
    return "    -     -     -" if t is None else " ".join(f"{x:.3f}" for x in t)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--split", choices=["all", "train", "dev"], default="dev")
    ap.add_argument("--source", choices=["all", "wcxb", "trafilatura"], default="all")
    ap.add_argument("--lang", help="only pages of this language code")
    ap.add_argument("--limit", type=int, help="at most this many pages")
    ap.add_argument("--show", type=int, default=3, help="examples of gold-hitting removals per rule")
    args = ap.parse_args(argv)

    systems: dict[str, Callable[..., str | None]] = {"storylens": storylens_clean, "trafilatura": bare_trafilatura}
    tallies: dict[str, dict[str, Tally]] = {s: defaultdict(Tally) for s in systems}
    rule_all: Counter[str] = Counter()
    rule_hits: dict[str, list[str]] = defaultdict(list)
    refused: list[str] = []
    for page in pages(args.data, args.split, args.source, args.lang, args.limit):
        with gzip.open(args.data / "pages" / f"{page['id']}.html.gz") as fh:
            data = fh.read()
        for sysname, fn in systems.items():
            removals: list[tuple[str, str]] = []
            t0 = time.perf_counter()
            pred = fn(data, page["id"], removals) if sysname == "storylens" else fn(data, page["id"])
            dt = time.perf_counter() - t0
            for key in (group_of(page), "all"):
                tallies[sysname][key].add(pred, page)
                tallies[sysname][key].seconds += dt
            if sysname == "storylens":
                if pred is None:
                    refused.append(f"{page['id']} ({page['lang']})")
                for rule, original in removals:
                    rule_all[rule] += 1
                    if gold_hit(original, page):
                        rule_hits[rule].append(f"{page['id']}: {norm(original)[:90]!r}")

    groups = [*sorted(k for k in tallies["storylens"] if k != "all"), "all"]
    print(f"split={args.split} source={args.source} lang={args.lang or 'any'} limit={args.limit}")
    print(f"{'group':<12}{'system':<13}{'pages':>6}{'refused':>8}  body P/R/F1          snippet P/R/F1       sec")
    for g in groups:
        for s in systems:
            t = tallies[s][g]
            print(f"{g:<12}{s:<13}{t.pages:>6}{t.refused:>8}  {fmt(t.body())}  {fmt(t.snippets())}  {t.seconds:6.1f}")
    print(f"\nrefused by storylens: {len(refused)}" + (": " + ", ".join(refused[:20]) if refused else ""))
    print("\nstorylens rule removals (all / hitting gold):")
    for rule in sorted(rule_all, key=lambda r: -len(rule_hits[r])):
        print(f"  {rule:<28}{rule_all[rule]:>6}{len(rule_hits[rule]):>6}")
        for ex in rule_hits[rule][: args.show]:
            print(f"      {ex}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
