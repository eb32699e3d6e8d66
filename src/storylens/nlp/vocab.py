"""Shared spaCy vocabulary: dependency labels, entity labels and word lists that
more than one stage consults. Data only; no logic."""

from __future__ import annotations

# Dependency labels -------------------------------------------------------

# A verb's subject, active or passive.
SUBJECT_DEPS: tuple[str, ...] = ("nsubj", "nsubjpass")
# A speech verb's object: the person spoken to (`told him`, `gave her an answer`).
OBJECT_DEPS: tuple[str, ...] = ("dobj", "dative")
# Parts of speech of words that head a noun phrase that can speak or be spoken to.
NOMINAL_POS: tuple[str, ...] = ("PROPN", "NOUN", "PRON")
# Parts of speech a speech verb or a claim's predicate can have.
VERB_POS: tuple[str, ...] = ("VERB", "AUX")

# Entity labels -----------------------------------------------------------

PERSON = "PERSON"
# Labels of named things that are not people.
NONPERSON_LABELS: frozenset[str] = frozenset(
    {"ORG", "GPE", "FAC", "LOC", "NORP", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
)
# Labels a name mention can carry: people and the named things above.
NAME_LABELS: frozenset[str] = NONPERSON_LABELS | {PERSON}
# Labels the small tagger puts on people's names by mistake (`Gary Suter` as ORG).
MISLABELLED_PEOPLE: tuple[str, ...] = ("ORG", "GPE", "FAC", "PRODUCT", "LOC", "WORK_OF_ART", "NORP")
# Labels the tagger does not confuse with people's names.
NEVER_PEOPLE: frozenset[str] = frozenset(
    {"NORP", "EVENT", "LAW", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL"}
)
# Labels of amounts, dates and times: a head with one is not an entity to link by its word.
QUANTITY_LABELS: frozenset[str] = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "CARDINAL", "QUANTITY", "ORDINAL"})
# Labels whose bare names may be aliases of a longer name (`Putin`, `the Kremlin`).
ALIAS_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP", "")

# Verbs whose event is the one they govern (`was forced to resign`: the event is
# resigning), by lemma: claims are compared by the governed verb.
GOVERNING_VERBS: frozenset[str] = frozenset(
    [
        "force",
        "begin",
        "start",
        "continue",
        "try",
        "attempt",
        "decide",
        "plan",
        "expect",
        "appear",
        "seem",
        "manage",
        "agree",
        "vow",
        "promise",
        "threaten",
        "intend",
        "hope",
        "seek",
    ]
)

# Verbs that introduce speech, by lemma.
SPEECH_VERBS: frozenset[str] = frozenset(
    [
        "say",
        "tell",
        "add",
        "ask",
        "answer",
        "reply",
        "respond",
        "claim",
        "insist",
        "continue",
        "note",
        "explain",
        "state",
        "argue",
        "declare",
        "write",
        "warn",
        "suggest",
        "assert",
        "acknowledge",
        "admit",
        "remark",
        "comment",
        "recall",
        "told",
        "said",
        "announce",
        "maintain",
        "contend",
        "counter",
        "concede",
        "confirm",
        "deny",
        "stress",
        "emphasize",
        "emphasise",
        "observe",
        "point",
        "caution",
        "predict",
        "promise",
        "vow",
        "joke",
        "quip",
        "complain",
        "reply",
        "tweet",
        "post",
        "report",
        "testify",
        "question",
        "press",
    ]
)
