"""A parsed spaCy Doc as bytes for the store, so a stored article is never parsed twice."""

from __future__ import annotations

import zlib

from spacy.tokens import Doc
from spacy.vocab import Vocab

# Tokens, tags, lemmas, the dependency tree, sentences and entities. Left out:
# the tensor (hundreds of floats per token) and extension values, which nothing
# downstream reads, and span groups (coreference clusters, redone from the
# parse): each group costs a msgpack encoder set-up. On the seeds
# (`benchmarks/bench_stored_compare.py`): 3.2 ms an article stored, against
# 14.8 ms with the span groups kept; about 7.9 KB per 300 words after zlib.
_EXCLUDE = ["user_data", "tensor", "spans"]


def doc_to_bytes(doc: Doc) -> bytes:
    return zlib.compress(doc.to_bytes(exclude=_EXCLUDE), 6)


def doc_from_bytes(vocab: Vocab, data: bytes) -> Doc:
    return Doc(vocab).from_bytes(zlib.decompress(data), exclude=_EXCLUDE)
