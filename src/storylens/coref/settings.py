"""Coreference settings: windows and weights the passes use, overridable from Python.

``SieveBackend(settings=CorefSettings(pronoun_window_sentences=4))`` changes one;
the defaults are the values the shipped rankers were trained and validated with.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CorefSettings:
    # A role introduced in the lead joins a person named within this many sentences.
    lead_window_sentences: int = 4
    # He/she look back this many sentences for an antecedent.
    pronoun_window_sentences: int = 6
    # Definite descriptions are ranked against this many recent same-head clusters.
    description_candidates: int = 5
    # It/they look back this many sentences; each sentence back costs the penalty.
    thing_window_sentences: int = 1
    thing_sentence_penalty: float = 2.5
    # An it/they antecedent that is itself a pronoun, or a larger cluster, is more salient.
    thing_pronoun_bonus: float = 0.5
    thing_cluster_bonus: float = 0.3
    thing_cluster_cap: int = 4
    # Descriptions longer than this many words are never replaced by a name.
    max_rendered_description_words: int = 5


DEFAULT = CorefSettings()
