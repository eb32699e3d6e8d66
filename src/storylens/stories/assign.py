"""Place the store's new articles into stories; earlier placements never move."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from storylens.store.db import Store
from storylens.stories.cluster import Entity, StoryClusterer
from storylens.stories.settings import DEFAULT, StorySettings

# New articles are read and placed this many at a time, so memory stays flat.
CHUNK = 3000


def parse_date(value: str | None) -> date | None:
    """The date at the start of an ISO-like string (`2017-03-12`, `2017-03-12T10:00`), else None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def entities(rows: list[dict] | None) -> list[Entity]:
    return [(r["name"], r["type"], r["mentions"]) for r in rows or () if r["name"]]


def assign_stories(
    store: Store, settings: StorySettings = DEFAULT, progress: Callable[[int], None] | None = None
) -> int:
    """Rebuild the clusterer from the placements already stored, place every
    article without a story, and store the new placements. Returns how many."""
    clusterer = StoryClusterer(settings)
    for key, title, text, published, ents, story in store.articles_with_stories():
        clusterer.restore(key, title, text, parse_date(published), story, entities(ents))
    clusterer.finish_restore()
    story_of = store.story_of()
    placed: list[tuple[str, int]] = []
    batch: list[tuple] = []
    copies: list[tuple[str, str, tuple]] = []

    def flush() -> None:
        for (key, *_), sid in zip(batch, clusterer.add_batch(batch), strict=True):
            story_of[key] = sid
            placed.append((key, sid))
        if progress:
            progress(len(batch))
        batch.clear()

    for key, title, text, published, ents, copy_of in store.articles_for_stories():
        article = (key, title, text, parse_date(published), entities(ents))
        if copy_of:
            copies.append((key, copy_of, article))
            continue
        batch.append(article)
        if len(batch) >= CHUNK:
            flush()
    flush()
    # A near-copy joins its original's story without counting twice in it; one
    # whose original has no story (a copy of a copy, say) waits for it.
    while copies:
        waiting = [c for c in copies if c[1] not in story_of]
        for key, copy_of, _ in copies:
            if copy_of in story_of:
                story_of[key] = story_of[copy_of]
                placed.append((key, story_of[key]))
        if len(waiting) == len(copies):
            batch.extend(article for _, _, article in waiting)
            flush()
            break
        copies = waiting
    store.save_stories(placed)
    return len(placed)
