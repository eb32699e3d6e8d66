"""Near-duplicates (syndicated wire copy, light edits) by MinHash LSH (datasketch).

Each stored article keeps its MinHash signature, so a later ingest finds
copies of articles stored long before without reading their texts again.
"""

from __future__ import annotations

import re
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


class NearDuplicates:
    """``find(key, text)`` returns the key of an earlier near-copy (or None) and
    remembers this text; ``restore`` loads stored signatures."""

    def __init__(self, settings: NearDupSettings = DEFAULT) -> None:
        self.settings = settings
        self.lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
        # LeanMinHash: the signature without its permutation tables, a third of
        # the memory, which matters once every stored article has one here.
        self.signatures: dict[str, LeanMinHash] = {}

    def restore(self, key: str, packed: bytes) -> None:
        m = LeanMinHash(
            seed=1,  # datasketch's default seed, the one signature() hashes with
            hashvalues=np.frombuffer(packed, dtype=np.uint64),
            scheme=self.settings.scheme,
        )
        self._remember(key, m)

    def _remember(self, key: str, m: MinHash) -> None:
        if key not in self.signatures:
            self.lsh.insert(key, m)
            self.signatures[key] = m if isinstance(m, LeanMinHash) else LeanMinHash(m)

    def find(self, key: str, text: str) -> tuple[str | None, bytes]:
        """(the most similar earlier near-copy or None, this text's packed signature)."""
        m = signature(text, self.settings)
        candidates = [k for k in self.lsh.query(m) if k != key]
        best = max(candidates, key=lambda k: (m.jaccard(self.signatures[k]), k), default=None)
        self._remember(key, m)
        return best, m.hashvalues.astype(np.uint64).tobytes()
