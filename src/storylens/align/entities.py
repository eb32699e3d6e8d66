"""Link each article's clusters into story-wide entities and count each outlet's labels.

Evidence, strongest first: the same name (a bare surname joins the most
prominent person of the story who has it); the coreference chain inside each
article (a description chained to a name in one outlet carries that name's
entity to the same description in another outlet); and the head word of
descriptions (`the migrants` / `migrants`, `the caravan` / `the caravan`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from storylens.coref.lexicon import DETERMINERS_DEFINITE, PERSON_NOUNS, PRONOUNS, TITLES
from storylens.model import Cluster, Entity, Mention

WH_WORDS = frozenset({"who", "whom", "whose", "which", "that", "what"})
# The speaker's and the reader's own words: who `I` is changes with every quote.
SPEAKER_WORDS = frozenset(w for w, p in PRONOUNS.items() if p.person in (1, 2))
POSSESSIVES = frozenset(w for w, p in PRONOUNS.items() if p.possessive) | {"her"}
DEFINITE = DETERMINERS_DEFINITE
# What a description of a person (`the spokesman`) may name.
PEOPLE_TYPES = frozenset({"PERSON", "NORP", "ORG"})
# Role words a name may carry; honorifics (`Mr`, `Dr`) say nothing about the role.
ROLE_WORDS = frozenset(PERSON_NOUNS) | frozenset(w for w in TITLES if len(w) > 3 and not w.endswith("."))


@dataclass(frozen=True, slots=True)
class LinkSettings:
    # `Sergey` and `Sergei` are one person; `Donald Trump` and `Melania Trump` are not.
    name_similarity: int = 85
    # A bare name (`Peskov`) against one word of a full name.
    part_similarity: int = 90
    # Head words too vague to link two descriptions on their own.
    vague_heads: frozenset[str] = frozenset(
        {
            "one",
            "thing",
            "way",
            "part",
            "lot",
            "number",
            "side",
            "kind",
            "time",
            "day",
            "year",
            "week",
            "month",
            "other",
            "some",
            "all",
            "many",
            "report",
            "statement",
        }
    )
    # Coordinated names (`North and South Korea`) name two things: never linked by name.
    conjunctions: frozenset[str] = frozenset({"and", "&", "or"})
    # Events and acts, not actors: `an interview`, `the meeting` are no entity.
    event_heads: frozenset[str] = frozenset(
        {
            "interview",
            "meeting",
            "talk",
            "conversation",
            "call",
            "visit",
            "speech",
            "conference",
            "hearing",
            "comment",
            "remark",
            "question",
            "answer",
        }
    )
    # An unnamed entity whose every head is this common in English (Zipf scale:
    # `people` 6.25, `world` 5.89, `time` 6.29) is a generic noun, not an actor of
    # the story; `man` (5.82), `police` (5.33) and `migrant` (3.75) stay.
    generic_zipf: float = 5.85
    # Unnamed entities need one definite, possessed or plural description.
    referring_only: bool = False
    # In-context cosine (align/mention_context.py) from which an unnamed group joins
    # a named entity, how far it must lead the next one, and the cosine between two
    # unnamed groups of different articles. Chosen on ECB+ train (B3 F1 76.9 without;
    # 0.6/0.05/0.8: 76.0, P 80.8; 0.75/0.05/0.8: 77.5, P 85.9; 0.8/0.05/0.8: 77.5, P 86.4).
    context_named: float = 0.75
    context_margin: float = 0.05
    context_unnamed: float = 0.8
    # Types a bare surname never crosses from (`Washington` the city is not George Washington).
    places: frozenset[str] = frozenset({"GPE", "LOC"})
    # A description shared by several named entities (`the spokesman` of two
    # governments) joins the most prominent only when it has this many times the
    # mentions of the next: two people who share a role word stay apart.
    dominance: float = 2.0


DEFAULT = LinkSettings()


def entity_labels(entity: Entity, outlet_of: dict[str, str]) -> dict[str, list[dict]]:
    """Per outlet, every label it uses for the entity, most used first, with offsets."""
    counts: dict[str, Counter[str]] = {}
    where: dict[tuple[str, str], list[dict]] = {}
    kinds: dict[str, str] = {}
    for c in entity.clusters:
        outlet = outlet_of[c.article_id]
        for m in c.mentions:
            if _speaker_or_wh(m):
                continue  # `i` and `whom` say nothing about how an outlet names anyone
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
    """The name's words from its first capitalised one: `comedian Ellen DeGeneres`
    and `59-year-old Raj Chohan` are matched as `Ellen DeGeneres` and `Raj Chohan`."""
    words = [w for w in name.replace("’", "'").replace("-", " ").split() if w[:1].isalpha()]
    for i, w in enumerate(words):
        if w[:1].isupper():
            return words[i:]
    return words


def _key(name: str) -> str:
    return " ".join(w.lower() for w in _words(name) if w.lower() != "the")


def _same_name(a: str, b: str, s: LinkSettings) -> bool:
    """Full names that match, or a bare surname/first name that matches one part."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    la, lb = [w.lower() for w in wa], [w.lower() for w in wb]
    n = min(len(la), len(lb))
    if n >= 2 and la[-n:] == lb[-n:]:
        return True  # `Comedian Ellen DeGeneres` at a sentence start is `Ellen DeGeneres`
    if len(wa) >= 2 and len(wb) >= 2:
        return fuzz.ratio(wa[-1].lower(), wb[-1].lower()) >= s.name_similarity and (
            fuzz.ratio(wa[0].lower(), wb[0].lower()) >= s.name_similarity or wa[0][:1] == wb[0][:1]
        )
    short, long_ = (wa, wb) if len(wa) < len(wb) else (wb, wa)
    return any(fuzz.ratio(short[0].lower(), w.lower()) >= s.part_similarity for w in long_)


class _Sets:
    """Union-find over the story's clusters."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _roles(c: Cluster) -> set[str]:
    """Role and title words written into a cluster's names (`Putin spokesman Dmitry
    Peskov`, `Ambassador Sergey Kislyak`): the words another outlet may use alone."""
    out: set[str] = set()
    for m in c.mentions:
        if m.kind == "name":
            words = [w.strip(".,;:'’").lower() for w in m.text.split()]
            out |= {w for w in words[:-1] if w in ROLE_WORDS}
    return out


def _possessor(m: Mention) -> str | None:
    """Who owns the description: `` for none, the pronoun (`her`) or the name's last
    word (`trump` for `Donald Trump's campaign`); None for the speaker's own (`our`)."""
    words = m.text.lower().replace("’", "'").split()
    if not words:
        return ""
    if words[0] in SPEAKER_WORDS:
        return None
    if words[0] in POSSESSIVES:
        return words[0]
    for w in words[:-1]:
        if w.endswith("'s") and len(w) > 2:
            return w[:-2]
    return ""


def _not_an_actor(clusters: list[Cluster], s: LinkSettings) -> bool:
    """Unnamed groups of events (`an interview`), generic nouns (`people`, `the
    world`), speaker words or wh-words alone."""
    nominals = [m for c in clusters for m in c.mentions if _kind(m) == "nominal"]
    if not nominals:
        return True  # pronouns alone
    if all(m.in_quote for m in nominals):
        # The speaker's words, repeated by every outlet that runs the quote: no outlet's choice.
        return True
    if s.referring_only and not any(m.plural or _referring(m) for m in nominals):
        # `a choice`, `order`: an indefinite or bare singular introduces or generalises,
        # it does not point at the same thing in two outlets.
        return True
    heads = {m.lemma or m.text.lower() for m in nominals}
    return all(h in s.event_heads or zipf_frequency(h, "en") >= s.generic_zipf for h in heads)


def _speaker_or_wh(m: Mention) -> bool:
    return m.text.lower() in SPEAKER_WORDS or m.text.lower() in WH_WORDS


def _referring(m: Mention) -> bool:
    """Definite, demonstrative or possessed: `the caravan`, `those seeking asylum`."""
    first = m.text.lower().replace("’", "'").split()[0]
    return first in DEFINITE or first in POSSESSIVES or _possessor(m) not in ("", None)


def _mass(sets: _Sets, size: list[int], root: int) -> int:
    return sum(size[i] for i in range(len(size)) if sets.find(i) == root)


def _compatible(a: str, b: str) -> bool:
    return a == b or "OTHER" in (a, b)


ContextVectors = Callable[[Sequence[Mention]], np.ndarray]


def link_entities(
    clusters: list[Cluster],
    singletons: list[Mention] | None = None,
    settings: LinkSettings = DEFAULT,
    context: ContextVectors | None = None,
) -> list[Entity]:
    """Story-wide entities from every article's clusters and lone descriptions.
    A lone description that links to nothing in another article is left out.
    ``context``: vectors of mentions in their sentences (``MentionContext``); with
    it, descriptions no word links join the entity they read closest to."""
    nodes = list(clusters) + [Cluster(-1, m.article_id, [m], None, "OTHER") for m in singletons or ()]
    sets = _Sets(len(nodes))
    size = [len(c.mentions) for c in nodes]

    # 1. Names. Longer names first, so a bare surname finds the full names before it.
    named = [
        i for i, c in enumerate(nodes) if c.canonical and not set(_key(c.canonical).split()) & settings.conjunctions
    ]
    named.sort(key=lambda i: (-len(_words(nodes[i].canonical or "")), nodes[i].article_id))
    groups: list[list[int]] = []  # each: node indices sharing a name
    forms: list[set[str]] = []
    types: list[Counter[str]] = []
    for i in named:
        c = nodes[i]
        name = c.canonical or ""
        key = _key(name)
        exact = [g for g, f in enumerate(forms) if key in f]
        if exact:
            # The same name is the same entity even where NER disagreed on its type.
            target = max(exact, key=lambda g: sum(size[j] for j in groups[g]))
        else:
            fuzzy = [
                g
                for g, f in enumerate(forms)
                if _compatible(types[g].most_common(1)[0][0], c.type) and any(_same_name(x, name, settings) for x in f)
            ]
            if not fuzzy and len(key.split()) == 1 and c.type not in settings.places:
                # A surname the tagger took for a building or a firm is still the person's.
                fuzzy = [
                    g
                    for g, f in enumerate(forms)
                    if types[g].most_common(1)[0][0] == "PERSON" and any(x.split()[-1] == key for x in f if " " in x)
                ]
            # An ambiguous bare name joins the most prominent bearer in the story.
            target = max(fuzzy, key=lambda g: sum(size[j] for j in groups[g])) if fuzzy else -1
        if target < 0:
            groups.append([i])
            forms.append({key})
            types.append(Counter([c.type]))
        else:
            groups[target].append(i)
            forms[target].add(key)
            types[target][c.type] += 1
            sets.union(groups[target][0], i)

    # 2. Descriptions: head lemmas of nominal mentions, carried by each article's chains,
    # and the role words inside names (`Kremlin spokesman Dmitry Peskov` is a spokesman).
    # Keyed by number too: `advisers` are not `the adviser`.
    heads: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for i, c in enumerate(nodes):
        # `our country` is each speaker's own, and `her campaign` is not `his campaign`
        # nor `Trump's campaign`: a possessed description links only under its possessor.
        keys = {
            (f"{_possessor(m)} {m.lemma}".lstrip(), m.plural)
            for m in c.mentions
            if m.kind == "nominal" and m.lemma and _possessor(m) is not None
        }
        keys |= {(w, False) for w in _roles(c)}
        for key in keys:
            if key[0].split()[-1] not in settings.vague_heads:
                heads[key].append(i)
    for members in heads.values():
        articles = {nodes[i].article_id for i in members}
        if len(articles) < 2:
            continue  # within one article the chain already decided
        roots = {sets.find(i) for i in members}
        named_roots = sorted((r for r in roots if nodes[r].canonical), key=lambda r: -_mass(sets, size, r))
        if len(named_roots) > 1 and _mass(sets, size, named_roots[0]) < settings.dominance * _mass(
            sets, size, named_roots[1]
        ):
            continue
        # Two different named entities described alike: link the unnamed ones to
        # the most prominent, never the named ones to each other.
        anchor = named_roots[0] if named_roots else min(roots)
        for i in members:
            r = sets.find(i)
            if r == anchor or (nodes[r].canonical and len(named_roots) > 1):
                continue
            sets.union(anchor, i)
            anchor = sets.find(anchor)

    if context is not None:
        _link_by_context(nodes, sets, context, settings)

    members_of: dict[int, list[int]] = defaultdict(list)
    for i in range(len(nodes)):
        members_of[sets.find(i)].append(i)
    entities: list[Entity] = []
    for idx in members_of.values():
        named = any(nodes[i].canonical for i in idx)
        if not named and len({nodes[i].article_id for i in idx}) < 2:
            continue  # a story-wide entity has a name or is described in two articles
        if not named and _not_an_actor([nodes[i] for i in idx], settings):
            continue
        if all(_speaker_or_wh(m) for i in idx for m in nodes[i].mentions):
            continue  # `Whom` tagged as a name is still a question word
        entities.append(_entity([nodes[i] for i in idx]))
    # Most articles first: what every outlet covers leads the list.
    entities.sort(key=lambda e: (-len({c.article_id for c in e.clusters}), -sum(len(c.mentions) for c in e.clusters)))
    for i, e in enumerate(entities):
        e.id = f"e{i}"
    return entities


def _link_by_context(nodes: list[Cluster], sets: _Sets, context: ContextVectors, s: LinkSettings) -> None:
    """3. Context: an unnamed group (`the team`, in one article or linked across
    several by its head word) joins the named entity whose mentions read closest in
    their sentences, when it leads the next by a margin; or else another article's
    unnamed group of the same thing. Quoted and possessed mentions are not read."""
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(nodes)):
        members[sets.find(i)].append(i)

    def said(r: int, kinds: tuple[str, ...]) -> list[Mention]:
        return [
            m
            for i in members[r]
            for m in nodes[i].mentions
            if m.kind in kinds and not m.in_quote and _possessor(m) == ""
        ]

    named = [r for r, idx in members.items() if any(nodes[i].canonical for i in idx)]
    lone = [r for r in members if r not in named and said(r, ("nominal",))]
    if not lone:
        return
    groups = [(r, said(r, ("nominal",))) for r in lone] + [(r, said(r, ("name", "nominal"))) for r in named]
    groups = [(r, ms) for r, ms in groups if ms]
    flat = [m for _, ms in groups for m in ms]
    rows = context(flat)
    centroids = []
    at = 0
    for _, ms in groups:
        v = rows[at : at + len(ms)].mean(axis=0)
        centroids.append(v / max(float(np.linalg.norm(v)), 1e-9))
        at += len(ms)
    sim = np.stack(centroids) @ np.stack(centroids).T
    articles = [{nodes[i].article_id for i in members[r]} for r, _ in groups]
    types = [Counter(nodes[i].type for i in members[r] if nodes[i].canonical).most_common(1) for r, _ in groups]
    for a in range(len(lone)):  # the first groups are the unnamed ones
        animate = any(m.lemma in PERSON_NOUNS for m in groups[a][1])
        options = []
        for b in range(len(groups)):
            if b == a or (not types[b] and articles[a] & articles[b]):
                continue  # two unnamed groups of one article: its chains kept them apart
            if types[b]:
                # People's descriptions join people (or groups of them), other words
                # anything but people: on ECB+ dev B3 F1 77.1 with this wall, 76.7 with
                # only people's kept from places (train 77.6 against 77.5).
                t = types[b][0][0]
                if not (t == "OTHER" or (t in PEOPLE_TYPES if animate else t != "PERSON")):
                    continue
            options.append((float(sim[a, b]), b))
        options.sort(reverse=True)
        named_options = [o for o in options if types[o[1]]]
        if named_options:
            best, b = named_options[0]
            second = named_options[1][0] if len(named_options) > 1 else -1.0
            if best >= s.context_named and best - second >= s.context_margin:
                sets.union(groups[b][0], groups[a][0])
                continue
        unnamed = [o for o in options if not types[o[1]]]
        if unnamed and unnamed[0][0] >= s.context_unnamed:
            sets.union(groups[unnamed[0][1]][0], groups[a][0])


def _entity(clusters: list[Cluster]) -> Entity:
    names = Counter(c.canonical for c in clusters if c.canonical)
    if names:
        # The fullest of the most used names.
        canonical = max(names, key=lambda n: (len(_words(n)) >= 2, names[n], len(n)))
        typ = Counter(c.type for c in clusters if c.canonical == canonical).most_common(1)[0][0]
    else:
        texts = Counter(m.text for c in clusters for m in c.mentions if m.kind == "nominal")
        canonical = texts.most_common(1)[0][0] if texts else clusters[0].mentions[0].text
        typ = Counter(c.type for c in clusters).most_common(1)[0][0]
    return Entity(id="", canonical=canonical, type=typ, clusters=clusters)
