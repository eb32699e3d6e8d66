"""Place the store's new articles into stories; earlier placements never move."""

from __future__ import annotations

from datetime import date

from storylens.store.db import Store
from storylens.stories.cluster import StoryClusterer
from storylens.stories.settings import DEFAULT, StorySettings


def parse_date(value: str | None) -> date | None:
    """The date at the start of an ISO-like string (`2017-03-12`, `2017-03-12T10:00`), else None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def assign_stories(store: Store, settings: StorySettings = DEFAULT) -> int:
    """Rebuild the clusterer from the placements already stored, place every
    article without a story, and store the new placements. Returns how many."""
    clusterer = StoryClusterer(settings)
    for key, title, text, published, story in store.articles_with_stories():
        clusterer.restore(key, title, text, parse_date(published), story)
    story_of = store.story_of()
    placed = []
    for key, title, text, published, copy_of in store.articles_for_stories():
        if copy_of and copy_of in story_of:
            # A near-copy joins its original's story without counting twice in it.
            placed.append((key, story_of[copy_of]))
            continue
        story_of[key] = clusterer.add(key, title, text, parse_date(published))
        placed.append((key, story_of[key]))
    store.save_stories(placed)
    return len(placed)
