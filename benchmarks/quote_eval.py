"""Score who-said-what on PolNeAR (train/dev): quotes and reported speech, and their speakers.

    .venv/bin/python benchmarks/quote_eval.py [--split dev] [--limit N] [--cache DIR] [--json OUT]

A prediction matches a gold attribution when it covers more than 30 % of the
gold content's characters (the annotators' criterion), one to one, best cover
first. P/R/F1 per kind (``direct``, ``indirect``, ``all``) over two gold sets:
``every`` attribution, and ``speech`` (direct quotes and indirect ones whose cue
is a speech or writing cue, not a belief or a finding). Beside storylens, the
same run scores a quotation-mark regex (every stretch of 3+ words between
double marks, kind ``direct``, no speaker). Quotes storylens marks ``partial``
(a few quoted words inside the writer's own sentence: scare quotes, a quoted
phrase in reported speech) are phrases, not attributions, and are left out
unless ``--with-partial``.

Speakers, on the matched ``all`` pairs: gold speakers are mentions as written,
often pronouns, so a gold speaker is named by itself when it is not a pronoun,
and by the canonical name of the storylens cluster holding it. The predicted
speaker is right when its name matches one of those leniently (case-insensitive,
the surname or one name inside the other); when the gold has no name at all,
when the predicted speaker's mention overlaps the gold mention. A gold
attribution without a source is right only when storylens names none.

``--cache DIR`` keeps the spaCy parses so that a rerun only repeats coreference
and attribution.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storylens.coref.resolver import Resolver
from storylens.model import Article, Resolution
from storylens.nlp.docs import doc_to_bytes

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"
DATA = SHARED / "quotes" / "articles.jsonl"

# Matching needs more than this share of the gold content's characters covered.
MIN_COVER = 0.3
KINDS = ("direct", "indirect", "all")

# The first word of a gold cue that marks speech or writing (stems, lowercase).
SPEECH_CUES = re.compile(
    r"^(s[ae]id|says?|saying|t[eo]ld|tell|according|add|not[ei]|ask|wr[io]t|call|explain|stat|argu|claim|"
    r"insist|warn|repl|respond|declar|announc|accus|den[iy]|admit|acknowledg|suggest|tweet|post|remark|"
    r"comment|recall|stress|emphasi|promis|vow|testif|confirm|report|predict|describ|urg|push|boast|"
    r"complain|charg|conced|concluded|pledg|quip|defend|dismiss|pointed|made|reiterat|repeat|echo|"
    r"contend|maintain|mention|interview|speak|spok|:|―|—|-|according)",
    re.IGNORECASE,
)
PRONOUNS = frozenset(
    {
        *("i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her"),
        *("they", "them", "their", "it", "its", "who", "whom", "whose", "which", "that", "this"),
        *("these", "those", "himself", "herself", "themselves"),
    }
)
_REGEX_QUOTE = re.compile(r"[\"“”]([^\"“”\n]+?)[\"“”]|``([^\n]+?)''")


@dataclass(slots=True)
class Gold:
    segments: list[tuple[int, int]]
    kind: str
    speech: bool
    speaker: str | None
    speaker_span: tuple[int, int] | None

    @property
    def size(self) -> int:
        return sum(e - s for s, e in self.segments)


@dataclass(slots=True)
class Pred:
    start: int
    end: int
    kind: str
    speaker: str | None = None
    speaker_span: tuple[int, int] | None = None


@dataclass(slots=True)
class Tally:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    def scores(self) -> dict[str, float]:
        p = self.tp / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": 100 * p, "r": 100 * r, "f1": 100 * f, "tp": self.tp, "pred": self.pred, "gold": self.gold}


@dataclass(slots=True)
class Result:
    kinds: dict[str, dict[str, Tally]] = field(
        default_factory=lambda: {scope: {k: Tally() for k in KINDS} for scope in ("every", "speech")}
    )
    speaker_right: dict[str, int] = field(default_factory=lambda: {"every": 0, "speech": 0})
    speaker_total: dict[str, int] = field(default_factory=lambda: {"every": 0, "speech": 0})
    errors: list[dict[str, object]] = field(default_factory=list)


def gold_of(art: dict) -> list[Gold]:
    out = []
    for q in art["quotes"]:
        span = (q["speaker_start"], q["speaker_end"]) if q.get("speaker") else None
        speech = q["kind"] == "direct" or bool(SPEECH_CUES.match((q.get("cue") or "").strip()))
        out.append(Gold([tuple(s) for s in q["segments"]], q["kind"], speech, q.get("speaker"), span))
    return out


def cover(p: Pred, g: Gold) -> float:
    inter = sum(max(0, min(p.end, e) - max(p.start, s)) for s, e in g.segments)
    return inter / g.size if g.size else 0.0


def outermost(preds: Sequence[Pred]) -> list[Pred]:
    """PolNeAR gives each token one attribution, so a quote inside reported speech
    that storylens also reports is not scored twice."""
    return [p for p in preds if not any(o is not p and o.start <= p.start and p.end <= o.end for o in preds)]


def match(preds: Sequence[Pred], golds: Sequence[Gold]) -> list[tuple[Pred, Gold]]:
    pairs = sorted(
        ((cover(p, g), pi, gi) for pi, p in enumerate(preds) for gi, g in enumerate(golds)),
        key=lambda t: -t[0],
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for c, pi, gi in pairs:
        if c <= MIN_COVER:
            break
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        out.append((preds[pi], golds[gi]))
    return out


def _words(name: str) -> list[str]:
    return re.findall(r"[\w']+", name.lower())


def same_name(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    ja, jb = " ".join(wa), " ".join(wb)
    if f" {ja} " in f" {jb} " or f" {jb} " in f" {ja} ":
        return True
    return wa[-1] == wb[-1] and len(wa[-1]) > 2


def gold_names(g: Gold, res: Resolution) -> list[str]:
    assert g.speaker_span is not None and g.speaker is not None
    s, e = g.speaker_span
    names = [] if set(_words(g.speaker)) <= PRONOUNS else [g.speaker]
    for c in res.clusters:
        if c.canonical and any(m.start < e and s < m.end for m in c.mentions):
            names.append(c.canonical)
    return names


def speaker_right(p: Pred, g: Gold, res: Resolution) -> bool:
    if g.speaker_span is None:
        return p.speaker is None
    if p.speaker is None:
        return False
    names = gold_names(g, res)
    if names:
        return any(same_name(p.speaker, n) for n in names)
    s, e = g.speaker_span
    return p.speaker_span is not None and p.speaker_span[0] < e and s < p.speaker_span[1]


def score(result: Result, preds: list[Pred], golds: list[Gold], res: Resolution | None, art_id: str) -> None:
    for scope in ("every", "speech"):
        pool = golds if scope == "every" else [g for g in golds if g.speech]
        for kind in KINDS:
            ps = outermost(preds) if kind == "all" else [p for p in preds if p.kind == kind]
            gs = pool if kind == "all" else [g for g in pool if g.kind == kind]
            pairs = match(ps, gs)
            t = result.kinds[scope][kind]
            t.tp += len(pairs)
            t.pred += len(ps)
            t.gold += len(gs)
            if kind != "all" or res is None:
                continue
            for p, g in pairs:
                ok = speaker_right(p, g, res)
                result.speaker_total[scope] += 1
                result.speaker_right[scope] += ok
                if not ok and scope == "speech":
                    result.errors.append({"article": art_id, "gold": g.speaker, "pred": p.speaker})


def regex_quotes(text: str) -> list[Pred]:
    out = []
    for m in _REGEX_QUOTE.finditer(text):
        gi = 1 if m.group(1) is not None else 2
        if len(m.group(gi).split()) >= 3:
            out.append(Pred(m.start(gi), m.end(gi), "direct"))
    return out


def storylens_quotes(res: Resolution, with_partial: bool = False) -> list[Pred]:
    return [
        Pred(
            q.start,
            q.end,
            getattr(q, "kind", "direct"),
            q.speaker,
            (q.speaker_start, q.speaker_end) if q.speaker_start >= 0 else None,
        )
        for q in res.quotes
        if with_partial or not q.partial
    ]


def resolutions(resolver: Resolver, arts: list[dict], cache: Path | None) -> Iterable[Resolution]:
    articles = [Article(id=a["id"], raw=a["text"], text=a["text"]) for a in arts]
    if cache is None:
        yield from resolver.resolve_many(articles)
        return
    cache.mkdir(parents=True, exist_ok=True)
    parses = {}
    for a in articles:
        f = cache / f"{a.id}.spacy"
        if f.exists():
            parses[a.id] = f.read_bytes()
    for parsed in resolver.parse(articles, parses=parses):
        if parsed.resolution is None:
            raise RuntimeError(parsed.error)
        f = cache / f"{parsed.article.id}.spacy"
        if not f.exists() and parsed.doc is not None:
            f.write_bytes(doc_to_bytes(parsed.doc))
        yield parsed.resolution


def report(name: str, result: Result) -> dict[str, object]:
    out: dict[str, object] = {}
    for scope in ("every", "speech"):
        print(f"  {name:<9} {scope:<6}", end="")
        for kind in KINDS:
            s = result.kinds[scope][kind].scores()
            out[f"{scope}_{kind}"] = s
            print(f"  {kind} P {s['p']:5.1f} R {s['r']:5.1f} F1 {s['f1']:5.1f}", end="")
        total = result.speaker_total[scope]
        if total:
            acc = 100 * result.speaker_right[scope] / total
            out[f"{scope}_speaker_accuracy"] = acc
            print(f"  speaker {acc:5.1f} % of {total}", end="")
        print()
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=("train", "dev"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--errors", type=int, default=0, help="print this many speaker errors")
    ap.add_argument("--with-partial", action="store_true", help="score partial quotes as attributions too")
    args = ap.parse_args(argv)
    arts = [a for a in map(json.loads, DATA.open(encoding="utf-8")) if a["split"] == args.split]
    if args.limit:
        arts = arts[: args.limit]
    t = time.perf_counter()
    system, baseline = Result(), Result()
    by_id = {a["id"]: a for a in arts}
    for res in resolutions(Resolver(), arts, args.cache):
        art = by_id[res.article.id]
        golds = gold_of(art)
        score(system, storylens_quotes(res, args.with_partial), golds, res, art["id"])
        score(baseline, regex_quotes(art["text"]), golds, None, art["id"])
    secs = time.perf_counter() - t
    print(f"PolNeAR {args.split}: {len(arts)} articles, {secs:.0f} s")
    out = {"split": args.split, "articles": len(arts), "storylens": report("storylens", system)}
    out["regex"] = report("regex", baseline)
    for err in system.errors[: args.errors]:
        print("   ", err)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
