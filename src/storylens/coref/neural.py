"""Optional neural backend: fastcoref (F-Coref or LingMess), behind ``CorefBackend``.

Not installed by default and never used unless asked for (``--backend
fastcoref``): it needs ``pip install fastcoref`` and its weights, which come from
the Hugging Face hub on first use (or a local folder given as ``model``), so it
suits a machine with internet and ideally a GPU. Clusters come from the neural
model; quotes and their speakers still come from the embedded resolver.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from storylens.coref.backend import Analysis, SieveBackend
from storylens.coref.naming import NameEvidence, canonical_name, cluster_type
from storylens.errors import ModelMissingError
from storylens.model import Cluster, Mention, Quote
from storylens.nlp.vocab import PERSON

DEFAULT_MODEL = "biu-nlp/f-coref"


def _kind(doc: Doc, start: int, end: int) -> str:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return "nominal"
    root = span.root
    if len(span) == 1 and root.tag_ in ("PRP", "PRP$"):
        return "pronoun"
    if root.pos_ == "PROPN" or root.ent_type_:
        return "name"
    return "nominal"


def clusters_from_spans(doc: Doc, spans: list[list[tuple[int, int]]], article_id: str) -> list[Cluster]:
    """Model clusters from character spans, with mention kinds, canonical name and type from the parse."""
    out = []
    for group in spans:
        mentions = [
            Mention(article_id, s, e, doc.text[s:e], _kind(doc, s, e))  # type: ignore[arg-type]
            for s, e in sorted(group)
        ]
        evidence, labels = [], []
        for m in mentions:
            if m.kind != "name":
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            label = span.root.ent_type_ if span is not None else ""
            labels.append(label)
            evidence.append(NameEvidence(len(m.text.split()), m.start, label == PERSON, m.text))
        pronouns = {m.text.lower() for m in mentions if m.kind == "pronoun"}
        person = PERSON in labels or bool(pronouns & {"he", "him", "his", "she", "her", "hers"})
        canonical, ctype = canonical_name(evidence), cluster_type(labels, person)
        out.append(Cluster(len(out), article_id, mentions, canonical, ctype))
    return out


def _token_spans(doc: Doc, clusters: list[Cluster]) -> list[list[tuple[int, int]]]:
    out = []
    for c in clusters:
        spans = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in c.mentions]
        out.append([(s.start, s.end) for s in spans if s is not None])
    return out


class FastcorefBackend:
    name = "fastcoref"

    def __init__(self, model: str = DEFAULT_MODEL, device: str = "cpu", quotes: SieveBackend | None = None) -> None:
        try:
            from fastcoref import FCoref, LingMessCoref
        except ImportError as e:
            raise ModelMissingError(
                "the fastcoref backend is optional: `pip install fastcoref` (its weights download from the "
                "Hugging Face hub on first use); the default `--backend sieve` needs neither"
            ) from e
        cls = LingMessCoref if "lingmess" in model.lower() else FCoref
        try:
            self._model = cls(model_name_or_path=model, device=device)
        except (OSError, ValueError) as e:
            raise ModelMissingError(
                f"fastcoref weights '{model}' are not available here ({type(e).__name__}); fetch them once "
                "with internet access or pass a local folder"
            ) from e
        self._quotes = quotes or SieveBackend()

    def analyse(self, doc: Doc, article_id: str) -> Analysis:
        prediction = self._model.predict(texts=[doc.text])[0]
        clusters = clusters_from_spans(doc, prediction.get_clusters(as_strings=False), article_id)
        embedded = self._quotes.analyse(doc, article_id)
        # The embedded clusters are not these: their ids would point at the wrong ones.
        quotes: list[Quote] = [replace(q, speaker_cluster=None) for q in embedded.quotes]
        return Analysis(clusters, quotes, embedded.quote_index, _token_spans(doc, clusters))
