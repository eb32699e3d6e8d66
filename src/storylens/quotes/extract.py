"""Quote records from regions and speakers: offsets trimmed to the quoted words,
the speaker named by its cluster's canonical name where coreference found one."""

from __future__ import annotations

from storylens.model import Cluster, Quote
from storylens.quotes.regions import QuoteIndex
from storylens.quotes.settings import DEFAULT, QuoteSettings


def build_quotes(
    text: str,
    quotes: QuoteIndex,
    speakers: list[tuple[int, int] | None],
    clusters: list[Cluster],
    article_id: str,
    settings: QuoteSettings = DEFAULT,
) -> list[Quote]:
    """One ``Quote`` per top-level region with words in it; ``speakers`` gives, per
    region, the character span of the mention naming its speaker."""
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
        speaker = cluster = None
        span = speakers[qi]
        if span is not None:
            found = cluster_at.get(span)
            cluster = found.id if found else None
            speaker = (found.canonical if found and found.canonical else None) or text[span[0] : span[1]]
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
        out.append(quote)
    return out
