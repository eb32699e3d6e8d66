"""Words and phrases each outlet chooses, in its own voice, where the others use other words.

Three sources, shown in this order:
- evaluative words: terms with a word the VADER lexicon rates as judging
  (``align/evaluative.py``: `hysteria`, `outraged`), over-represented in the outlet;
- labels: the descriptions an outlet gives an entity of the story that no other
  outlet uses for it (`the Kremlin spokesman` where another says `Putin's spokesman`);
- other word choices: verbs, adjectives and adverbs (and phrases with one) the
  outlet uses more than the others.
Topic nouns (`tariffs`, `gps host`) are never framing: every outlet of a story
needs them, and a noun one outlet alone mentions is a fact it reports, not a choice.

Over-representation is the weighted log-odds ratio with an informative Dirichlet
prior (Monroe, Colaresi and Quinn 2008): each outlet against all the others, the
prior built from general English word and phrase frequencies (wordfreq).
"""

from __future__ import annotations

import math
from collections import Counter

from spacy.tokens import Doc, Token
from wordfreq import word_frequency

from storylens.align.entities import entity_labels
from storylens.align.evaluative import valence
from storylens.model import Entity
from storylens.quotes.regions import QuoteIndex, find_quotes

# alpha_0, the prior's weight, is CompareSettings.framing_prior_scale times the
# story's word count: a strong general-English prior shrinks differences in
# common words and lets an outlet's unusual choices stand out.
_FLOOR = 1e-8
# |valence| from which a word judges. VADER's raters rated social-media English, so
# everyday news words score too: `support`, `help`, `party` 1.7, `hostile` -1.6 stay
# below; `hysteria` -1.9, `forced` -2.0, `outraged` -2.5 above, and so do `win` 2.8
# and `intelligence` 2.1, which are the topic of some stories (seeds, by eye).
EVALUATIVE = 1.8

Where = dict[str, list[dict]]


def _judges(tok: Token) -> bool:
    return abs(valence(tok.lower_, tok.lemma_)) >= EVALUATIVE


def outlet_terms(
    doc: Doc, quotes: QuoteIndex | None = None, where: Where | None = None, article_id: str = ""
) -> Counter[str]:
    """Unigrams and bigrams of content words outside direct quotes, names left out,
    and topic nouns left out: a noun counts alone or in a bigram only when it judges
    (`hysteria`) or beside a verb, adjective or adverb (`outraged liberals`).
    ``where``: filled with each term's occurrences (article, start, end)."""
    quotes = quotes or QuoteIndex(find_quotes(doc.text))
    counts: Counter[str] = Counter()

    def add(term: str, start: int, end: int) -> None:
        counts[term] += 1
        if where is not None:
            where.setdefault(term, []).append({"article": article_id, "start": start, "end": end})

    for sent in doc.sents:
        prev: Token | None = None
        for tok in sent:
            keep = (
                tok.is_alpha
                and not tok.is_stop
                and tok.pos_ in ("NOUN", "VERB", "ADJ", "ADV")
                and not tok.ent_type_
                and quotes.region_of(tok.idx) == -1
                and len(tok.text) > 2
            )
            if not keep:
                prev = None
                continue
            topic = tok.pos_ == "NOUN" and not _judges(tok)
            if not topic:
                add(tok.lower_, tok.idx, tok.idx + len(tok))
            if prev is not None and not (topic and prev.pos_ == "NOUN" and not _judges(prev)):
                add(f"{prev.lower_} {tok.lower_}", prev.idx, tok.idx + len(tok))
            prev = tok
    return counts


def label_choices(entities: list[Entity], outlet_of: dict[str, str]) -> tuple[dict[str, Counter[str]], Where]:
    """Per outlet, the descriptions it gives an entity that other outlets also
    mention but never describe so; and where each occurs."""
    counts: dict[str, Counter[str]] = {}
    where: Where = {}
    for e in entities:
        labels = entity_labels(e, outlet_of)
        if len(labels) < 2 or not any(c.canonical for c in e.clusters):
            continue  # an actor the story names, told by two outlets at least
        said = {o: {t["text"].lower() for t in ls if t["kind"] == "nominal"} for o, ls in labels.items()}
        for outlet, ls in labels.items():
            others = set().union(*(s for o, s in said.items() if o != outlet))
            for t in ls:
                text = t["text"].lower()
                if t["kind"] != "nominal" or text in others:
                    continue
                counts.setdefault(outlet, Counter())[text] += t["count"]
                where.setdefault(f"{outlet}\t{text}", []).extend(t["occurrences"])
    return counts, where


def _inside(term: str, shown: list[dict]) -> bool:
    """A word already visible inside a phrase above it."""
    return " " not in term and any(term in t["term"].split() for t in shown)


def framing(
    counts_by_outlet: dict[str, Counter[str]],
    top: int = 10,
    prior_scale: float = 10.0,
    labels: dict[str, Counter[str]] | None = None,
    where: dict[str, Where] | None = None,
    label_where: Where | None = None,
) -> dict[str, list[dict]]:
    """Per outlet, its evaluative terms, then its own labels, then its other most
    over-represented terms, ``top`` in all.

    ``score`` is the weighted log-odds ratio (delta) under the prior; ``z`` is delta
    over its standard deviation; ``kind`` is `evaluative`, `label` or `choice`;
    ``valence`` the strongest VADER rating among its words. ``labels`` come from
    ``label_choices``; ``where`` (per outlet, from ``outlet_terms``) and
    ``label_where`` add each term's ``occurrences``.
    """
    total: Counter[str] = Counter()
    for c in counts_by_outlet.values():
        total.update(c)
    n_total = sum(total.values()) or 1
    background = {w: max(word_frequency(w, "en"), _FLOOR) for w in total}
    bg_sum = sum(background.values())
    a0 = prior_scale * n_total
    alpha = {w: a0 * background[w] / bg_sum for w in total}
    out: dict[str, list[dict]] = {}
    for outlet in dict.fromkeys([*counts_by_outlet, *(labels or {})]):
        counts = counts_by_outlet.get(outlet, Counter())
        n_i = sum(counts.values())
        n_j = n_total - n_i
        scored = []
        for w, y_i in counts.items():
            y_j = total[w] - y_i
            a = alpha[w]
            delta = math.log((y_i + a) / (n_i + a0 - y_i - a)) - math.log((y_j + a) / (n_j + a0 - y_j - a))
            if delta > 0:
                v = max((valence(x) for x in w.split()), key=abs)
                kind = "evaluative" if abs(v) >= EVALUATIVE else "choice"
                scored.append((kind != "evaluative", -delta, w, delta / math.sqrt(1 / (y_i + a) + 1 / (y_j + a)), v))
        scored.sort()
        evaluative = [s for s in scored if not s[0]]
        rest = [s for s in scored if s[0]]
        shown: list[dict] = []
        for _, neg, w, z, v in evaluative:
            if not _inside(w, shown):
                shown.append({"term": w, "score": round(-neg, 3), "z": round(z, 3), "kind": "evaluative", "valence": v})
        # Labels take at most half the list: the outlet's own verbs and adjectives stay visible.
        room = len(shown) + max(1, top // 2)
        for text, n in (labels or {}).get(outlet, Counter()).most_common():
            if len(shown) < room and all(t["term"] != text for t in shown):
                shown.append({"term": text, "score": None, "z": None, "kind": "label", "count": n})
        for _, neg, w, z, v in rest:
            if not _inside(w, shown):
                shown.append({"term": w, "score": round(-neg, 3), "z": round(z, 3), "kind": "choice", "valence": v})
        shown = shown[:top]
        for t in shown:
            if t["kind"] == "label" and label_where is not None:
                t["occurrences"] = label_where.get(f"{outlet}\t{t['term']}", [])
            elif where is not None and outlet in where:
                t["occurrences"] = where[outlet].get(t["term"], [])
        out[outlet] = shown
    return out
