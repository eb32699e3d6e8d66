"""A parsed spaCy Doc as bytes for the store, so a stored article is never parsed twice."""

from __future__ import annotations

import zlib

from spacy.tokens import Doc
from spacy.vocab import Vocab

# Tokens, tags, lemmas, the dependency tree, sentences and entities; the tensor
# (hundreds of floats per token) and extension values are left out: nothing
# downstream reads them. zlib takes 300 words from about 40 KB to about 7 KB.
_EXCLUDE = ["user_data", "tensor"]


def doc_to_bytes(doc: Doc) -> bytes:
    return zlib.compress(doc.to_bytes(exclude=_EXCLUDE), 6)


def doc_from_bytes(vocab: Vocab, data: bytes) -> Doc:
    return Doc(vocab).from_bytes(zlib.decompress(data), exclude=_EXCLUDE)
