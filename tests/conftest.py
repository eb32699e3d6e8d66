from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storylens.clean import load_article
from storylens.coref.resolver import Resolver
from storylens.model import Article

if TYPE_CHECKING:
    from storylens.align.compare import Comparer

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SEED_IDS = {
    "000": "000_22b479502551e41f",
    "001": "001_5ebe940381c7545d",
    "002": "002_5cef337bd50d8477",
    "003": "003_5822e0c420de686d",
    "004": "004_4b51eeb0038c61dd",
}


def seed_path(key: str) -> Path:
    path = SEEDS / f"{SEED_IDS[key]}.txt"
    if not path.exists():
        pytest.fail(f"seed {path} missing: tests read ../shared/seeds beside the checkout")
    return path


@pytest.fixture(scope="session")
def resolver() -> Resolver:
    return Resolver()


@pytest.fixture(scope="session")
def comparer(resolver: Resolver) -> Comparer:
    """Loaded once for every test that compares (the models take seconds)."""
    from storylens.align.compare import Comparer

    return Comparer(resolver=resolver)


@pytest.fixture(scope="session")
def seed_articles() -> dict[str, Article]:
    return {k: load_article(seed_path(k)) for k in ("000", "002", "003", "004")}


def mention(article: str, start: int, text: str, kind: str = "name", lemma: str = "", plural: bool = False):
    """A hand-built mention of ``text`` at ``start`` (entity-linking tests)."""
    from storylens.model import Mention

    return Mention(article, start, start + len(text), text, kind, lemma=lemma, plural=plural)  # type: ignore[arg-type]


def cluster(article: str, canonical: str | None, typ: str, *mentions):
    """A hand-built coreference cluster of ``mentions``."""
    from storylens.model import Cluster

    return Cluster(0, article, list(mentions), canonical, typ)


def entity_of(entities, article: str, text: str) -> str | None:
    """The id of the entity holding the mention ``text`` of ``article``, or None."""
    for e in entities:
        for c in e.clusters:
            if c.article_id == article and any(m.text == text for m in c.mentions):
                return e.id
    return None
