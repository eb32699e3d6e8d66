"""Grammatical gender of a person's name, from a first-name list that ships on PyPI."""

from __future__ import annotations

import gender_guesser.detector as gender_detector

from storylens.coref.lexicon import TITLES

_MAP = {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}


class GenderGuesser:
    """Loads gender-guesser's name list once; construct one per process."""

    def __init__(self) -> None:
        self._detector = gender_detector.Detector(case_sensitive=False)
        self._cache: dict[str, str] = {}

    def for_first_name(self, first: str) -> str:
        if first not in self._cache:
            self._cache[first] = _MAP.get(self._detector.get_gender(first.capitalize()), "u")
        return self._cache[first]

    def for_name(self, key: tuple[str, ...], role: str | None) -> str:
        if role and TITLES.get(role, "u") != "u":
            return TITLES[role]
        if len(key) >= 2 and key[0].isalpha():
            return self.for_first_name(key[0])
        return "u"
