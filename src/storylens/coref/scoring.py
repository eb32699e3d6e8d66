"""CoNLL-2012 coreference metrics: MUC, B-cubed, CEAF-e and their mean.

Clusters are sets of hashable mentions (e.g. ``(start_token, end_token)``).
Each metric returns (recall, precision, f1) as fractions.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from storylens.model import Mention

Cluster = frozenset[Hashable]
PRF = tuple[float, float, float]


def _f1(r: float, p: float) -> float:
    return 0.0 if r + p == 0 else 2 * r * p / (r + p)


def _prf(rn: float, rd: float, pn: float, pd: float) -> PRF:
    r = rn / rd if rd else 0.0
    p = pn / pd if pd else 0.0
    return r, p, _f1(r, p)


def _muc_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float]:
    where = {m: i for i, c in enumerate(response) for m in c}
    num = den = 0.0
    for k in key:
        parts = {where.get(m, ("alone", m)) for m in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num, den


def muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> PRF:
    rn, rd = _muc_side(key, response)
    pn, pd = _muc_side(response, key)
    return _prf(rn, rd, pn, pd)


def _b3_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float]:
    where = {m: c for c in response for m in c}
    num = 0.0
    den = 0
    for k in key:
        counts: dict[int, int] = {}
        for m in k:
            r = where.get(m)
            if r is not None:
                counts[id(r)] = counts.get(id(r), 0) + 1
        num += sum(n * n for n in counts.values()) / len(k)
        den += len(k)
    return num, den


def b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> PRF:
    rn, rd = _b3_side(key, response)
    pn, pd = _b3_side(response, key)
    return _prf(rn, rd, pn, pd)


def ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> PRF:
    from scipy.optimize import linear_sum_assignment

    if not key or not response:
        return 0.0, 0.0, 0.0
    sim = [[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key]
    rows, cols = linear_sum_assignment(sim, maximize=True)
    total = sum(sim[i][j] for i, j in zip(rows, cols, strict=True))
    return _prf(total, len(key), total, len(response))


def conll_scores(docs: Sequence[tuple[Sequence[Cluster], Sequence[Cluster]]]) -> dict[str, float]:
    """Micro-averaged over documents (numerators and denominators summed), in percent."""
    sums = {name: [0.0, 0.0, 0.0, 0.0] for name in ("muc", "b3")}
    ceaf = [0.0, 0.0, 0.0]
    for key, response in docs:
        for name, side in (("muc", _muc_side), ("b3", _b3_side)):
            rn, rd = side(key, response)
            pn, pd = side(response, key)
            s = sums[name]
            s[0] += rn
            s[1] += rd
            s[2] += pn
            s[3] += pd
        r, p, _ = ceaf_e(key, response)
        ceaf[0] += r * len(key)
        ceaf[1] += len(key)
        ceaf[2] += p * len(response)
    out = {name: 100 * _prf(*s)[2] for name, s in sums.items()}
    n_resp = sum(len(r) for _, r in docs)
    out["ceafe"] = 100 * _prf(ceaf[0], ceaf[1], ceaf[2], n_resp)[2]
    out["conll"] = (out["muc"] + out["b3"] + out["ceafe"]) / 3
    return out


def ontonotes_spans(mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """A cluster's mentions as OntoNotes marks them: each the full noun phrase
    (``Mention.extent``), and none nested inside another of the same cluster (an
    apposition belongs to the phrase it describes)."""
    spans = sorted({m.extent for m in mentions})
    return [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
