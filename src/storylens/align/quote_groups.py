"""Group quotes that render the same utterance across outlets, and diff their wording.

The unit is a quote segment: a quote split at sentence ends and ellipses, since
outlets cut and join a speaker's sentences differently.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from storylens.align.settings import QuoteGroupSettings
from storylens.model import Quote

_SPLIT = re.compile(r"(?<=[.!?])[”’\"']?\s+(?=[“\"‘']?[A-Z])|\s*(?:…|\.\.\.)\s*")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|St|Jr|Sr|Prof|Rev|vs)|\b[A-Z]|\.[A-Z])\.$")
_SIC = re.compile(r"\(sic\)", re.IGNORECASE)
_BRACKETED = re.compile(r"\[[^\]]*\]")
_PUNCT = re.compile(r"[^\w\s]")
# British to American spellings, as suffix rules (demonise -> demonize, programme -> program).
_SPELLING = (
    (re.compile(r"(\w{3,})is(e|es|ed|ing|ation|ations)\b"), r"\1iz\2"),
    (re.compile(r"(\w{2,})our\b"), r"\1or"),
    (re.compile(r"(\w{3,})mme\b"), r"\1m"),
    (re.compile(r"(\w{3,})tre\b"), r"\1ter"),
)
DEFAULT = QuoteGroupSettings()


@dataclass(slots=True)
class Segment:
    article_id: str
    start: int
    end: int
    text: str
    speaker: str | None
    norm: str = ""
    kind: str = "direct"  # the quote's: ``direct`` or ``indirect`` (reported speech)


@dataclass(slots=True)
class QuoteGroup:
    id: str
    segments: list[Segment] = field(default_factory=list)
    status: str = "single"

    @property
    def articles(self) -> list[str]:
        return sorted({s.article_id for s in self.segments})

    @property
    def kind(self) -> str:
        """``direct`` or ``indirect`` when every occurrence is, else ``mixed`` (one
        outlet quotes what another reports)."""
        kinds = {s.kind for s in self.segments}
        return kinds.pop() if len(kinds) == 1 else "mixed"

    @property
    def speaker(self) -> str | None:
        names = [s.speaker for s in self.segments if s.speaker and s.speaker[:1].isupper()]
        return max(set(names), key=names.count) if names else None


def normalise(text: str, spelling: bool = True) -> str:
    text = _BRACKETED.sub(" ", _SIC.sub(" ", text)).lower().replace("’", "'")
    text = _PUNCT.sub(" ", text)
    if spelling:
        for pattern, repl in _SPELLING:
            text = pattern.sub(repl, text)
    return " ".join(text.split())


def _pieces(text: str) -> list[tuple[int, str]]:
    """The quote's sentences with their offsets; a full stop after a title or an
    initialism (`Mr.`, `U.S.`) ends no sentence."""
    out = []
    pos = 0
    for m in _SPLIT.finditer(text):
        if _ABBREVIATION.search(text, max(0, m.start() - 6), m.start()):
            continue
        out.append((pos, text[pos : m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    return [(at, piece) for at, piece in out if piece]


def segments_of(quote: Quote, settings: QuoteGroupSettings = DEFAULT) -> list[Segment]:
    out = []
    for at, piece in _pieces(quote.text):
        stripped = piece.strip(" “”\"‘’'")
        if len(stripped.split()) < settings.min_words:
            continue
        offset = quote.start + at + piece.find(stripped)
        out.append(
            Segment(
                quote.article_id,
                offset,
                offset + len(stripped),
                stripped,
                quote.speaker,
                normalise(stripped),
                quote.kind,
            )
        )
    return out


def _word_coverage(a: list[str], b: list[str], coverage: float) -> float:
    """Share of the shorter segment's words that the longer one has, in order."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    present = set(long_)
    if short and sum(w in present for w in short) < coverage * len(short):
        return 0.0  # cannot reach the bar: skip the alignment
    matcher = difflib.SequenceMatcher(a=short, b=long_, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(short) if short else 0.0


def _similar(a: Segment, b: Segment, cfg: QuoteGroupSettings) -> bool:
    if fuzz.ratio(a.norm, b.norm) >= cfg.same or fuzz.token_sort_ratio(a.norm, b.norm) >= cfg.same:
        return True
    wa, wb = a.norm.split(), b.norm.split()
    shorter = min(len(wa), len(wb))
    if shorter >= cfg.contained_min_words and fuzz.partial_ratio(a.norm, b.norm) >= cfg.contained:
        return True
    # Two transcripts of one spoken sentence (`in no way should it be presented` /
    # `in no way it should be percepted`): most words agree, in order.
    return (
        shorter >= cfg.transcript_min_words
        and _word_coverage(wa, wb, cfg.transcript_coverage) >= cfg.transcript_coverage
    )


def _candidate_pairs(segs: list[Segment], max_bucket: int) -> list[tuple[int, int]]:
    """Pairs from different articles that share a word pair (`no way`), as two
    renderings of one utterance do in practice; most of the n² pairs never meet. A
    word pair in more than ``max_bucket`` segments (`of the`) is too common to count."""
    index: dict[str, list[int]] = {}
    for i, seg in enumerate(segs):
        words = seg.norm.split()
        for key in {" ".join(words[k : k + 2]) for k in range(len(words) - 1)} or {seg.norm}:
            index.setdefault(key, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for members in index.values():
        if len(members) > max_bucket:
            continue
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                if segs[i].article_id != segs[j].article_id:
                    pairs.add((i, j))
    return sorted(pairs)


def group_quotes(quotes: list[Quote], settings: QuoteGroupSettings = DEFAULT) -> list[QuoteGroup]:
    segs = [s for q in quotes for s in segments_of(q, settings)]
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _candidate_pairs(segs, settings.max_bucket):
        if find(i) != find(j) and _similar(segs[i], segs[j], settings):
            parent[find(j)] = find(i)
    groups: dict[int, QuoteGroup] = {}
    for i, s in enumerate(segs):
        groups.setdefault(find(i), QuoteGroup(id="")).segments.append(s)
    out = sorted(groups.values(), key=lambda g: (-len(g.articles), g.segments[0].article_id, g.segments[0].start))
    for i, g in enumerate(out):
        g.id = f"q{i}"
        if len(g.articles) == 1:
            g.status = "single"
        else:
            forms = {normalise(s.text, spelling=False) for s in g.segments}
            g.status = "verbatim" if len(forms) == 1 else "variant"
    return out


def word_diff(reference: str, other: str) -> list[dict[str, str]]:
    """Word-level operations turning ``reference`` into ``other``; words that differ
    only in case or punctuation (`kind` / `kind.`) count as equal."""
    a, b = reference.split(), other.split()
    key_a = [normalise(w, spelling=False) for w in a]
    key_b = [normalise(w, spelling=False) for w in b]
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=key_a, b=key_b, autojunk=False).get_opcodes():
        ops.append({"op": tag, "reference": " ".join(a[i1:i2]), "text": " ".join(b[j1:j2])})
    return ops
