"""Union-find over mentions, with the cluster-level features passes check."""

from __future__ import annotations

from storylens.coref.mentions import M
from storylens.nlp.vocab import NONPERSON_LABELS, PERSON


class Clusters:
    def __init__(self, mentions: list[M]) -> None:
        self.ms = mentions
        self.parent = list(range(len(mentions)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(mentions))}
        # Roles a cluster is known by ("ambassador" -> {"russian"}), beyond its mentions' own.
        self.learned: dict[int, dict[str, set[str]]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def same(self, a: int, b: int) -> bool:
        return self.find(a) == self.find(b)

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        learned = self.learned.pop(rb, {})
        for role, mods in learned.items():
            self.learned.setdefault(ra, {}).setdefault(role, set()).update(mods)
        return True

    def mentions_of(self, i: int) -> list[M]:
        return [self.ms[j] for j in self.members[self.find(i)]]

    def learn_role(self, i: int, role: str, mods: frozenset[str] | set[str] = frozenset()) -> None:
        self.learned.setdefault(self.find(i), {}).setdefault(role, set()).update(mods)

    # Cluster features ---------------------------------------------------

    def genders(self, i: int) -> set[str]:
        return {m.gender for m in self.mentions_of(i) if m.gender != "u"}

    def is_person(self, i: int) -> bool:
        return any(m.is_person for m in self.mentions_of(i))

    def is_nonperson(self, i: int) -> bool:
        ms = self.mentions_of(i)
        return any(m.label in NONPERSON_LABELS for m in ms) and not any(m.label == PERSON for m in ms)

    def roles(self, i: int) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for m in self.mentions_of(i):
            if m.role and (m.kind == "name" or m.animate):
                out.setdefault(m.role, set()).update(m.role_mods)
        for role, mods in self.learned.get(self.find(i), {}).items():
            out.setdefault(role, set()).update(mods)
        return out

    def compatible(self, a: int, b: int) -> bool:
        if self.same(a, b):
            return True
        if len(self.genders(a) | self.genders(b)) > 1:
            return False
        # A person never joins an organisation or a place.
        pa, pb = self.is_person(a), self.is_person(b)
        return not ((pa and self.is_nonperson(b)) or (pb and self.is_nonperson(a)))

    def groups(self) -> list[list[M]]:
        return [sorted((self.ms[j] for j in js), key=lambda m: m.start) for js in self.members.values()]
