"""Link each article's clusters into story-wide entities and count each outlet's labels."""

from __future__ import annotations

from collections import Counter

from rapidfuzz import fuzz

from storylens.coref.lexicon import PRONOUNS
from storylens.model import Cluster, Entity, Mention

WH_WORDS = frozenset({"who", "whom", "whose", "which", "that", "what"})

# `Sergey` and `Sergei` are one person; `Donald Trump` and `Melania Trump` are not.
NAME_SIMILARITY = 85


def entity_labels(entity: Entity, outlet_of: dict[str, str]) -> dict[str, list[dict]]:
    """Per outlet, every label it uses for the entity, most used first, with offsets."""
    counts: dict[str, Counter[str]] = {}
    where: dict[tuple[str, str], list[dict]] = {}
    kinds: dict[str, str] = {}
    for c in entity.clusters:
        outlet = outlet_of[c.article_id]
        for m in c.mentions:
            label = _label(m)
            kinds[label] = _kind(m)
            counts.setdefault(outlet, Counter())[label] += 1
            where.setdefault((outlet, label), []).append({"article": c.article_id, "start": m.start, "end": m.end})
    return {
        outlet: [
            {"text": t, "count": n, "kind": kinds[t], "occurrences": where[(outlet, t)]} for t, n in c.most_common()
        ]
        for outlet, c in counts.items()
    }


def _kind(m: Mention) -> str:
    """`name`, `nominal` (a description) or `pronoun`; relative and question words
    (`whom`, `who`) are pronouns whatever the tagger called them."""
    if m.kind == "pronoun" or m.text.lower() in PRONOUNS or m.text.lower() in WH_WORDS:
        return "pronoun"
    return m.kind


def _label(m: Mention) -> str:
    return m.text.lower() if m.kind == "pronoun" else m.text


def _words(name: str) -> list[str]:
    return [w for w in name.replace("’", "'").split() if w[:1].isalpha()]


def _same_name(a: str, b: str) -> bool:
    """Full names that match, or a bare surname/first name that matches one part."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    if len(wa) >= 2 and len(wb) >= 2:
        return fuzz.ratio(wa[-1].lower(), wb[-1].lower()) >= NAME_SIMILARITY and (
            fuzz.ratio(wa[0].lower(), wb[0].lower()) >= NAME_SIMILARITY or wa[0][:1] == wb[0][:1]
        )
    short, long_ = (wa, wb) if len(wa) < len(wb) else (wb, wa)
    return any(fuzz.ratio(short[0].lower(), w.lower()) >= 90 for w in (long_[0], long_[-1]))


def link_entities(clusters: list[Cluster]) -> list[Entity]:
    """Named clusters with the same person or organisation name become one entity.
    Full names are linked first so a bare surname attaches to the right person."""
    named = [c for c in clusters if c.canonical]
    named.sort(key=lambda c: (-len(_words(c.canonical or "")), c.article_id))
    entities: list[Entity] = []
    for c in named:
        name = c.canonical or ""
        matches = [
            e for e in entities if (e.type == c.type or "OTHER" in (e.type, c.type)) and _same_name(e.canonical, name)
        ]
        if len(matches) == 1 or (matches and len(_words(name)) >= 2):
            matches[0].clusters.append(c)
        else:
            entities.append(Entity(id="", canonical=name, type=c.type, clusters=[c]))
    entities.sort(key=lambda e: -sum(len(c.mentions) for c in e.clusters))
    for i, e in enumerate(entities):
        e.id = f"e{i}"
    return entities
