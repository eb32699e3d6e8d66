"""Near-duplicates (syndicated wire copy, light edits) by MinHash LSH (datasketch).

Each stored article keeps its MinHash signature and the LSH buckets of its
bands (table ``near_bands``), written with the article in one transaction, so
a later ingest finds copies of articles stored long before by asking the store,
without holding an index of the archive in memory. Only the articles of this
run that are not yet written sit in an in-memory index (``pending``): a batch
or two.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH


@dataclass(frozen=True, slots=True)
class NearDupSettings:
    # Estimated Jaccard similarity of word 5-gram sets at which two texts are one copy.
    threshold: float = 0.8
    num_perm: int = 64
    shingle: int = 5
    # datasketch's hashing scheme, named so stored signatures stay comparable.
    scheme: str = "affine32"


DEFAULT = NearDupSettings()
_WORD = re.compile(r"\w+")


def signature(text: str, settings: NearDupSettings = DEFAULT) -> MinHash:
    words = _WORD.findall(text.lower())
    n = settings.shingle
    grams = {" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}
    m = MinHash(num_perm=settings.num_perm, scheme=settings.scheme)  # type: ignore[arg-type]
    m.update_batch([g.encode() for g in grams])
    return m


def band_buckets(packed: bytes, bands: int, rows: int) -> list[int]:
    """One bucket per band of a packed signature: the band's index and values,
    hashed to a signed 64-bit integer (a DuckDB BIGINT)."""
    values = np.frombuffer(packed, dtype=np.uint64)
    out = []
    for band in range(bands):
        digest = hashlib.blake2b(bytes([band]) + values[band * rows : (band + 1) * rows].tobytes(), digest_size=8)
        out.append(int.from_bytes(digest.digest(), "little", signed=True))
    return out


@functools.cache
def lsh_shape(settings: NearDupSettings = DEFAULT) -> tuple[int, int]:
    """(bands, rows per band) datasketch picks for the threshold and signature size."""
    lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
    return lsh.b, lsh.r


# Stored articles sharing a bucket: buckets -> (bucket, key, packed signature) rows.
StoredLookup = Callable[[Sequence[int]], list[tuple[int, str, bytes]]]


class NearDuplicates:
    """``find_many([(key, text), ...])`` gives each text's earliest-found most
    similar near-copy (or None) and its packed signature, in order, and
    remembers each text as pending until ``written`` says the store holds it.
    ``stored`` asks the store for articles sharing buckets (none: pending only)."""

    def __init__(self, settings: NearDupSettings = DEFAULT, stored: StoredLookup | None = None) -> None:
        self.settings = settings
        self.bands, self.rows = lsh_shape(settings)
        self.stored = stored
        self.pending = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
        # LeanMinHash: the signature without its permutation tables.
        self.signatures: dict[str, LeanMinHash] = {}

    def buckets(self, packed: bytes) -> list[int]:
        return band_buckets(packed, self.bands, self.rows)

    def find_many(self, items: Sequence[tuple[str, str]]) -> list[tuple[str | None, bytes]]:
        sigs = [signature(text, self.settings) for _, text in items]
        packed = [m.hashvalues.astype(np.uint64).tobytes() for m in sigs]
        buckets = [self.buckets(p) for p in packed]
        by_bucket: dict[int, list[tuple[str, bytes]]] = {}
        if self.stored is not None and items:
            for bucket, key, data in self.stored(sorted({b for bs in buckets for b in bs})):
                by_bucket.setdefault(bucket, []).append((key, data))
        out: list[tuple[str | None, bytes]] = []
        for (key, _), m, data, bs in zip(items, sigs, packed, buckets, strict=True):
            scores = {k: m.jaccard(self.signatures[k]) for k in self.pending.query(m) if k != key}
            for b in bs:
                for other, other_data in by_bucket.get(b, ()):
                    if other != key and other not in scores:
                        scores[other] = float(np.mean(np.frombuffer(other_data, dtype=np.uint64) == m.hashvalues))
            best = max(scores, key=lambda k: (scores[k], k), default=None)
            if key not in self.signatures:
                self.pending.insert(key, m)
                self.signatures[key] = LeanMinHash(m)
            out.append((best, data))
        return out

    def written(self, keys: Sequence[str]) -> None:
        """These keys are in the store now (with their buckets): the store answers for them."""
        for key in keys:
            if self.signatures.pop(key, None) is not None:
                self.pending.remove(key)
