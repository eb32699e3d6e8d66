"""How likely two articles are to report one event, as a log-odds score.

A logistic model over a few pair features:

- the cosine of the weighted term vectors, split by kind of term (words and
  names; the named entities of the coreference clusters; numbers and years)
  so that each kind weighs what it is worth: two events of one kind share
  words, more rarely numbers or entities;
- whether each article's main actor (its most-mentioned person) is named in
  the other at all. Two reports of one event nearly always name its main
  actor; two arrests of one team's players each name only their own man.

The weights are data (``PairWeights``), fitted by logistic regression on ECB+
train pairs (``benchmarks/story_eval.py --fit``). Scores come as matrices,
rows of one set of units against another, from sparse products, so the cost
per block of articles stays that of one TF-IDF similarity matrix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

# Terms are keyed by kind: "e:" a coreference entity, "n:" a number, "y:" a year, else a word or name.
KINDS = ("words", "entities", "numbers")
# The main actors of an article, each read from the entity types here (coreference cluster types).
# A main place (GPE, LOC, FAC) was tried as a second role: fitted on ECB+ train it
# scored lower there (B3 F1 90.5 against 91.6) and on held-out topics.
ROLES = {"person": frozenset({"PERSON"})}


def kind_of(term: str) -> int:
    if term.startswith("e:"):
        return 1
    if term.startswith(("n:", "y:")):
        return 2
    return 0


@dataclass(frozen=True, slots=True)
class PairWeights:
    """Log-odds weights of the pair features; fitted on ECB+ train."""

    bias: float = -4.01
    # Each kind's share of the cosine.
    words: float = 28.57
    entities: float = 8.39
    numbers: float = 2.1
    # One article's main person is not named in the other; each one's is missing from the other.
    person_missing_one: float = -1.38
    person_missing_both: float = -3.07


@dataclass(slots=True)
class Units:
    """Articles (or stored story members) ready to be scored against each other."""

    parts: list[csr_matrix]  # per kind: that kind's slice of the unit-length term vector
    # Per role: (units, names) one-hot of the unit's main actor, and 1 where the unit names that actor.
    actor: list[csr_matrix]
    names: list[csr_matrix]

    def __len__(self) -> int:
        return self.parts[0].shape[0]

    def rows(self, start: int, stop: int) -> Units:
        return Units(
            [p[start:stop] for p in self.parts],
            [m[start:stop] for m in self.actor],
            [m[start:stop] for m in self.names],
        )


def surname(name: str) -> str:
    """The last word of a name, lowercased as terms are."""
    words = name.split()
    return words[-1].lower().strip("'’-.,") if words else ""


def main_actors(entities: Iterable[tuple[str, str, int]]) -> tuple[str | None, ...]:
    """Per role, the last word of the article's most-mentioned entity of that role (first on a tie), or None."""
    best: list[tuple[int, str] | None] = [None] * len(ROLES)
    for name, kind, mentions in entities:
        for r, types in enumerate(ROLES.values()):
            last = surname(name) if kind in types and name else ""
            if last and (best[r] is None or mentions > best[r][0]):  # type: ignore[index]
                best[r] = (mentions, last)
    return tuple(b[1] if b else None for b in best)


def sparse_rows(*groups: Sequence[dict[str, float]]) -> list[csr_matrix]:
    """Each group of term vectors as sparse rows, all over one vocabulary."""
    vocab: dict[str, int] = {}
    built = []
    for vectors in groups:
        data, cols, ptr = [], [], [0]
        for vec in vectors:
            for t, v in vec.items():
                cols.append(vocab.setdefault(t, len(vocab)))
                data.append(v)
            ptr.append(len(cols))
        built.append((data, cols, ptr, len(vectors)))
    width = max(len(vocab), 1)
    return [csr_matrix((data, cols, ptr), shape=(rows, width)) for data, cols, ptr, rows in built]


def _one_hot(rows: Sequence[Sequence[int]], width: int) -> csr_matrix:
    ptr = np.cumsum([0] + [len(r) for r in rows])
    cols = [c for r in rows for c in r]
    return csr_matrix((np.ones(len(cols)), cols, ptr), shape=(len(rows), max(width, 1)))


def units(vectors: Sequence[dict[str, float]], actors: Sequence[tuple[str | None, ...]]) -> Units:
    """Units from unit-length term vectors and each one's ``main_actors``.
    Units from one call can be scored against each other.

    A unit names an actor when that last word is among its word terms or is
    the last word of one of its entities."""
    split: list[list[dict[str, float]]] = [[{} for _ in vectors] for _ in KINDS]
    for r, vec in enumerate(vectors):
        for t, v in vec.items():
            split[kind_of(t)][r][t] = v
    parts = [sparse_rows(by_kind)[0] for by_kind in split]
    # What each unit names: its word terms and the last words of its entities.
    said = [{surname(t[2:]) if t.startswith("e:") else t for t in vec} for vec in vectors]
    actor, names = [], []
    for r in range(len(ROLES)):
        known = {a: i for i, a in enumerate(dict.fromkeys(acts[r] for acts in actors if acts[r]))}
        actor.append(_one_hot([[known[acts[r]]] if acts[r] else [] for acts in actors], len(known)))
        names.append(_one_hot([sorted(known[w] for w in words if w in known) for words in said], len(known)))
    return Units(parts, actor, names)


def features(a: Units, b: Units) -> dict[str, np.ndarray]:
    """Each pair feature as a matrix, units of ``a`` against units of ``b`` (both
    rows of one ``units`` call, so their columns mean the same terms); the keys
    are ``PairWeights``'s field names."""
    # Each kind's share of the cosine (the shares add up to it): a kind that weighs
    # little in both articles adds little, however alike its few terms are.
    out = {kind: (pa @ pb.T).toarray() for kind, pa, pb in zip(KINDS, a.parts, b.parts, strict=True)}
    for role, a_actor, a_names, b_actor, b_names in zip(ROLES, a.actor, a.names, b.actor, b.names, strict=True):
        has_a = np.asarray(a_actor.sum(axis=1)).ravel() > 0
        has_b = np.asarray(b_actor.sum(axis=1)).ravel() > 0
        missing = (has_a[:, None] & ((a_actor @ b_names.T).toarray() == 0)).astype(np.int8)
        missing += has_b[None, :] & ((a_names @ b_actor.T).toarray() == 0)
        out[f"{role}_missing_one"] = (missing == 1).astype(float)
        out[f"{role}_missing_both"] = (missing == 2).astype(float)
    return out


FEATURES = (*KINDS, *(f"{role}_missing_{n}" for role in ROLES for n in ("one", "both")))


def scores(a: Units, b: Units, weights: PairWeights) -> tuple[np.ndarray, np.ndarray]:
    """The TF-IDF cosine of each unit of ``a`` with each unit of ``b``, and the
    log-odds that the two report the same event."""
    f = features(a, b)
    out = np.full((len(a), len(b)), float(weights.bias))
    for name, value in f.items():
        out += getattr(weights, name) * value
    return sum(f[kind] for kind in KINDS), out
