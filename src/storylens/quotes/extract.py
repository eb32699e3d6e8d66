"""Quote records from regions, reported statements and speakers: offsets trimmed to
the quoted words, the speaker named by its cluster's canonical name where
coreference found one."""

from __future__ import annotations

from storylens.model import Cluster, Quote
from storylens.nlp.vocab import QUANTITY_LABELS
from storylens.quotes.regions import QuoteIndex
from storylens.quotes.reported import Reported
from storylens.quotes.settings import DEFAULT, QuoteSettings

# Entity types that never speak: a speaker is a person, an organisation, a place's
# government (`Moscow said`) or a description (`a spokesperson`).
NOT_SPEAKERS: frozenset[str] = QUANTITY_LABELS | {"WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "LANGUAGE", "FAC"}


def build_quotes(
    text: str,
    quotes: QuoteIndex,
    speakers: list[tuple[int, int] | None],
    clusters: list[Cluster],
    article_id: str,
    settings: QuoteSettings = DEFAULT,
    cues: list[tuple[int, int] | None] | None = None,
) -> list[Quote]:
    """One ``Quote`` per top-level region with words in it; ``speakers`` gives, per
    region, the character span of the mention naming its speaker, ``cues`` the
    span of the words attributing it."""
    cluster_at = {(m.start, m.end): c for c in clusters for m in c.mentions}
    out = []
    for qi, region in enumerate(quotes.regions):
        start, end = region.inner
        while start < end and text[start] in " \n":
            start += 1
        while end > start and text[end - 1] in " \n,":
            end -= 1
        if start >= end:
            continue
        span = speakers[qi]
        speaker, cluster = _speaker(text, span, cluster_at)
        line_start = text.rfind("\n", 0, region.start) + 1
        before = text[line_start : region.start].strip()
        partial = (
            bool(before)
            and not before.endswith((":", ","))
            and len(text[start:end].split()) <= settings.partial_max_words
        )
        quote = Quote(article_id, start, end, text[start:end], speaker, cluster, partial)
        if span is not None:
            quote.speaker_start, quote.speaker_end = span
        cue = cues[qi] if cues else None
        if cue is not None:
            quote.cue, (quote.cue_start, quote.cue_end) = text[cue[0] : cue[1]], cue
        out.append(quote)
    return out


def _speaker(
    text: str, span: tuple[int, int] | None, cluster_at: dict[tuple[int, int], Cluster]
) -> tuple[str | None, int | None]:
    if span is None:
        return None, None
    found = cluster_at.get(span)
    if found is not None and found.type in NOT_SPEAKERS:
        return None, None  # `12:15 p.m.`, a film's title: none rather than a wrong speaker
    name = (found.canonical if found and found.canonical else None) or text[span[0] : span[1]]
    return name, found.id if found else None


def build_reported(
    text: str,
    reported: list[Reported],
    speakers: list[tuple[int, int] | None],
    clusters: list[Cluster],
    article_id: str,
) -> list[Quote]:
    """One ``indirect`` Quote per reported statement; ``speakers`` gives, per
    statement, the character span of the mention naming its speaker."""
    cluster_at = {(m.start, m.end): c for c in clusters for m in c.mentions}
    out = []
    for r, span in zip(reported, speakers, strict=True):
        speaker, cluster = _speaker(text, span, cluster_at)
        quote = Quote(article_id, r.start, r.end, text[r.start : r.end], speaker, cluster, kind="indirect")
        if span is not None:
            quote.speaker_start, quote.speaker_end = span
        quote.cue, quote.cue_start, quote.cue_end = text[r.cue_start : r.cue_end], r.cue_start, r.cue_end
        out.append(quote)
    return out
