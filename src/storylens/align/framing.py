"""Words and phrases each outlet uses, in its own voice, that the others do not.

Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
and Quinn 2008): each outlet against all the others, the prior built from
general English word and phrase frequencies (wordfreq).
"""

from __future__ import annotations

import math
from collections import Counter

from spacy.tokens import Doc
from wordfreq import word_frequency

from storylens.quotes.regions import QuoteIndex, find_quotes

# alpha_0, the prior's weight, is CompareSettings.framing_prior_scale times the
# story's word count: a strong general-English prior shrinks differences in
# common words and lets an outlet's unusual choices stand out.
_FLOOR = 1e-8


def outlet_terms(doc: Doc, quotes: QuoteIndex | None = None) -> Counter[str]:
    """Unigrams and bigrams of content words outside direct quotes, names left out."""
    quotes = quotes or QuoteIndex(find_quotes(doc.text))
    counts: Counter[str] = Counter()
    for sent in doc.sents:
        prev: str | None = None
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
            word = tok.lower_
            counts[word] += 1
            if prev is not None:
                counts[f"{prev} {word}"] += 1
            prev = word
    return counts


def framing(
    counts_by_outlet: dict[str, Counter[str]], top: int = 10, prior_scale: float = 10.0
) -> dict[str, list[dict]]:
    """Per outlet, its most over-represented terms against the other outlets.

    ``score`` is the weighted log-odds ratio (delta) under the prior; ``z`` is delta
    over its standard deviation. Terms are ranked by ``score``; with the handful of
    counts one story gives, z mostly rewards repetition.
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
    for outlet, counts in counts_by_outlet.items():
        n_i = sum(counts.values())
        n_j = n_total - n_i
        scored = []
        for w, y_i in counts.items():
            y_j = total[w] - y_i
            a = alpha[w]
            delta = math.log((y_i + a) / (n_i + a0 - y_i - a)) - math.log((y_j + a) / (n_j + a0 - y_j - a))
            if delta > 0:
                scored.append((delta, delta / math.sqrt(1 / (y_i + a) + 1 / (y_j + a)), w))
        scored.sort(reverse=True)
        shown: list[dict] = []
        for delta, z, w in scored:
            if " " not in w and any(w in t["term"].split() for t in shown):
                continue  # already visible inside a bigram above it
            shown.append({"term": w, "score": round(delta, 3), "z": round(z, 3)})
            if len(shown) == top:
                break
        out[outlet] = shown
    return out
