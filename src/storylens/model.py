"""The one data model every storylens stage reads and writes.

Offsets are always character offsets into ``Article.text`` (the cleaned text)
unless a field says otherwise, so any entity, quote or claim can be traced back
to the exact characters it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from storylens.quotes.regions import QuoteIndex

MentionKind = Literal["name", "nominal", "pronoun"]


@dataclass(slots=True)
class Edit:
    """Replace ``text[start:end]`` (== ``original``) with ``replacement``."""

    start: int
    end: int
    original: str
    replacement: str
    rule: str = ""


@dataclass(slots=True)
class Article:
    id: str
    raw: str
    text: str = ""
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    source_path: str | None = None
    # Edits that turned ``raw`` into ``text``; their offsets are into ``raw``.
    cleaning: list[Edit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # ISO 639-1 code detected on the cleaned text; None until cleaned.
    language: str | None = None


@dataclass(slots=True)
class Mention:
    article_id: str
    start: int
    end: int
    text: str
    kind: MentionKind
    # Index of the syntactic head token in the spaCy Doc; -1 when unknown.
    head: int = -1
    in_quote: bool = False
    # The whole noun phrase the mention heads (`Mary Chaworth, whom he met at school`),
    # as OntoNotes marks mentions; -1 when it is the mention itself.
    extent_start: int = -1
    extent_end: int = -1
    # Lemma and number of the head word (`migrant`, plural, for `the migrants`):
    # link descriptions across outlets.
    lemma: str = ""
    plural: bool = False

    @property
    def extent(self) -> tuple[int, int]:
        if self.extent_start < 0:
            return self.start, self.end
        return self.extent_start, self.extent_end


@dataclass(slots=True)
class Cluster:
    """Mentions of one entity inside one article."""

    id: int
    article_id: str
    mentions: list[Mention]
    canonical: str | None
    type: str


@dataclass(slots=True)
class Entity:
    """One real-world entity linked across the articles of a story: each article's
    cluster for it, so every mention keeps its article id and offsets."""

    id: str
    canonical: str
    type: str
    clusters: list[Cluster] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    """A quote or a reported statement; offsets span the quoted words or the content."""

    article_id: str
    start: int
    end: int
    text: str
    speaker: str | None = None
    speaker_cluster: int | None = None
    partial: bool = False  # a few quoted words inside the writer's sentence
    # Where the speaker is named (the mention that speaks), -1 when no speaker was found.
    speaker_start: int = -1
    speaker_end: int = -1
    # ``direct`` (words in quotation marks) or ``indirect`` (reported speech, in the
    # writer's words; offsets span its content).
    kind: str = "direct"
    # The words that attribute it (`said`, `told reporters`, `according to`); -1 when none.
    cue: str = ""
    cue_start: int = -1
    cue_end: int = -1


@dataclass(slots=True)
class Claim:
    """A sentence that asserts something in the writer's voice (quotes excluded)."""

    article_id: str
    start: int
    end: int
    text: str
    resolved: str = ""
    speaker: str | None = None
    # The main clause alone (no adverbial or relative clauses), when that differs.
    core: str = ""
    # Who does what the main verb says (its active subject or passive `by` agent),
    # as offsets into the article text; -1 when the clause names none.
    agent_start: int = -1
    agent_end: int = -1
    # The main verb's lemma, and whether it is negated (`did not resign`).
    verb: str = ""
    negated: bool = False
    # Heads of the main verb's subject, objects and prepositional objects (lower-cased lemmas).
    args: tuple[str, ...] = ()
    # Mostly a direct quotation: evidence for verdicts, never a fact's only statement.
    quoted: bool = False


@dataclass(slots=True)
class Resolution:
    """The result of coreference on one article."""

    article: Article
    clusters: list[Cluster]
    edits: list[Edit]
    resolved: str
    quotes: list[Quote] = field(default_factory=list)
    # The article's quote regions, found once by coreference and reused downstream.
    quote_index: QuoteIndex | None = None
    # Descriptions mentioned once (`the caravan`): no chain in this article, but
    # another outlet's wording for an entity of the story.
    singletons: list[Mention] = field(default_factory=list)
