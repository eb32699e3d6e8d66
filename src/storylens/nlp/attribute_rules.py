"""spaCy's attribute ruler with its single-token and fixed-length patterns
matched over whole arrays instead of by the token-by-token ``Matcher``.

Why: in en_core_web_sm the ruler maps every token's tag to its part of speech
and morphology with 179 patterns, and spaCy's ``Matcher`` tries them token by
token: 0.148 s of a 0.906 s parse of 5 articles of 800 words. Compared column
by column (one numpy comparison per pattern token) the same patterns took
0.029 s (``benchmarks/bench_attribute_ruler.py``).

The matches are the very ones the ``Matcher`` finds: the patterns stay in the
ruler as spaCy stores them; only ``match`` differs. A pattern this module cannot
express (operators, predicates other than ``IN``, ``NOT_IN`` and ``REGEX``, attributes
outside ``STRING_ATTRS`` and ``FLAG_ATTRS``) is left to a ``Matcher`` of its own,
so any patterns a user adds still work. ``tests/test_attribute_rules.py`` checks
that both rulers give the same tokens on real text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import IDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc

# Token attributes whose ``Doc.to_array`` value is what the ``Matcher`` compares:
# the hash of a string, or 0/1 for a lexical flag.
STRING_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "DEP", "LEMMA")
FLAG_ATTRS = ("IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "LIKE_NUM")
ALIASES = {"TEXT": "ORTH"}
REGEX_MEMO = 200_000

# A test on one column of the doc's array: the boolean mask of tokens that pass.
Test = Callable[[np.ndarray, Doc], np.ndarray]


@dataclass(frozen=True, slots=True)
class _Rule:
    key: int  # the ruler's pattern number (its match id is this number as a string)
    match_id: int
    columns: tuple[tuple[tuple[int, Test], ...], ...]  # per pattern token: (column, test) pairs


def _equals(value: int) -> Test:
    return lambda col, doc: col == value


def _among(values: list[int]) -> Test:
    wanted = np.asarray(values, dtype=np.uint64)
    return lambda col, doc: np.isin(col, wanted)


def _outside(values: list[int]) -> Test:
    unwanted = np.asarray(values, dtype=np.uint64)
    return lambda col, doc: ~np.isin(col, unwanted)


def _regex(pattern: str) -> Test:
    compiled = re.compile(pattern)
    # Verdicts by string hash, kept across documents (a hash always names the
    # same string); emptied when large so a long ingest cannot grow it forever.
    seen: dict[int, bool] = {}

    def test(col: np.ndarray, doc: Doc) -> np.ndarray:
        values, inverse = np.unique(col, return_inverse=True)
        if len(seen) > REGEX_MEMO:
            seen.clear()
        passed = np.empty(len(values), dtype=bool)
        for i, v in enumerate(values.tolist()):
            hit = seen.get(v)
            if hit is None:
                hit = seen[v] = bool(compiled.search(doc.vocab.strings[v]))
            passed[i] = hit
        return passed[inverse]

    return test


def _token_test(name: str, value: Any) -> Test | None:
    """The test for one ``{ATTR: value}`` of a pattern token, or None when only the Matcher can do it."""
    if name in FLAG_ATTRS:
        return _equals(int(value)) if isinstance(value, bool) else None
    if name not in STRING_ATTRS:
        return None
    if isinstance(value, str):
        return _equals(get_string_id(value))
    if isinstance(value, dict) and len(value) == 1:
        ((op, arg),) = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
            return (_among if op == "IN" else _outside)([get_string_id(v) for v in arg])
        if op == "REGEX" and isinstance(arg, str):
            return _regex(arg)
    return None


class ArrayAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` whose ``match`` compares columns of ``Doc.to_array``."""

    def __init__(
        self, vocab: Any, name: str = "attribute_ruler", *, validate: bool = False, scorer: Any = None
    ) -> None:
        super().__init__(vocab, name, validate=validate, scorer=scorer)
        self._reset()

    def clear(self) -> None:
        super().clear()
        self._reset()

    def _reset(self) -> None:
        self._rules: list[_Rule] = []
        self._rest = Matcher(self.vocab, validate=self.validate)
        self._columns: list[int] = []

    def add(self, patterns: Any, attrs: dict, index: int = 0) -> None:
        key = len(self.attrs)
        super().add(patterns, attrs, index)
        match_id = self.vocab.strings.add(str(key))
        for pattern in patterns:
            rule = self._compile(key, match_id, pattern)
            if rule is None:
                self._rest.add(match_id, [pattern])
            else:
                self._rules.append(rule)

    def _compile(self, key: int, match_id: int, pattern: list[dict]) -> _Rule | None:
        if not pattern:
            return None
        tokens = []
        for spec in pattern:
            tests = []
            for raw, value in spec.items():
                name = ALIASES.get(str(raw).upper(), str(raw).upper())
                test = _token_test(name, value)
                if test is None:
                    return None
                if IDS[name] not in self._columns:
                    self._columns.append(IDS[name])
                tests.append((self._columns.index(IDS[name]), test))
            tokens.append(tuple(tests))
        return _Rule(key, match_id, tuple(tokens))

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        found: list[tuple[int, int, int, int]] = []
        n = len(doc)
        if n and self._rules:
            # Patterns of wildcard tokens ({}) alone read no column.
            table = (
                doc.to_array(self._columns).reshape(n, len(self._columns))
                if self._columns
                else np.zeros((n, 0), dtype=np.uint64)
            )
            for rule in self._rules:
                width = len(rule.columns)
                if width > n:
                    continue
                ok = np.ones(n - width + 1, dtype=bool)
                for offset, tests in enumerate(rule.columns):
                    for column, test in tests:
                        ok &= test(table[offset : n - width + 1 + offset, column], doc)
                found += [(rule.key, rule.match_id, int(s), int(s) + width) for s in np.flatnonzero(ok)]
        if len(self._rest):
            rest = self._rest(doc, allow_missing=True, as_spans=False)
            found += [(int(self.vocab.strings[m]), m, s, e) for m, s, e in rest]  # type: ignore[misc]
        # A pattern with two alternatives can match one span twice; the Matcher reports it once.
        return sorted(set(found))


@Language.factory(
    "storylens_attribute_ruler",
    default_config={"validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}},
)
def make_array_attribute_ruler(nlp: Language, name: str, validate: bool, scorer: Any) -> ArrayAttributeRuler:
    return ArrayAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


def use_array_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> None:
    """Swap the pipeline's attribute ruler for an ``ArrayAttributeRuler`` with the same patterns, in place."""
    if name not in nlp.pipe_names or isinstance(nlp.get_pipe(name), ArrayAttributeRuler):
        return
    old = nlp.get_pipe(name)
    if not isinstance(old, AttributeRuler):
        return
    patterns = old.patterns
    new = nlp.replace_pipe(name, "storylens_attribute_ruler", config={"validate": old.validate})
    new.add_patterns(patterns)
