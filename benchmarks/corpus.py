"""Benchmark texts: the seeds and OntoGUM documents rebuilt from their CoNLL-U text lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEED_FILES = ("000_22b479502551e41f", "002_5cef337bd50d8477", "003_5822e0c420de686d", "004_4b51eeb0038c61dd")


def ontogum_texts(folder: Path | None = None) -> list[tuple[str, str]]:
    """(doc id, text) for each CoNLL-U file; paragraphs joined by blank lines."""
    folder = folder or SHARED / "benchmarks" / "ontogum" / "conllu"
    docs = []
    for path in sorted(folder.glob("*.conllu")):
        paras: list[list[str]] = [[]]
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# newpar") and paras[-1]:
                paras.append([])
            elif line.startswith("# text = "):
                paras[-1].append(line[len("# text = ") :])
        docs.append((path.stem, "\n\n".join(" ".join(p) for p in paras if p)))
    return docs


def seed_paths() -> list[Path]:
    return [SHARED / "seeds" / f"{name}.txt" for name in SEED_FILES]


def split_docs(splits: Path, split: str) -> list[str]:
    """Names of the documents of ``split`` ("dev" or "test") that are here (shared/
    holds the openly licensed ones); "train" is every other document."""
    present = sorted(p.stem for p in (splits.parent / "conll").glob("*.conll"))
    if split == "train":
        held = set(split_docs(splits, "dev")) | set(split_docs(splits, "test"))
        return [n for n in present if n not in held]
    section = splits.read_text(encoding="utf-8").split(f"## {split}\n", 1)[1].split("##", 1)[0]
    listed = re.findall(r"\*\s+(\S+)", section)
    return [n for n in listed if n in set(present)]


@dataclass(slots=True)
class GoldDoc:
    """One OntoGUM document: the text a resolver reads and its gold clusters of
    (first token, last token + 1) spans."""

    name: str
    text: str
    key: list[frozenset[tuple[int, int]]]
    starts: dict[int, int]
    ends: dict[int, int]

    def tokens(self, start: int, end: int) -> tuple[int, int] | None:
        """The token span of characters ``start:end``, or None off word edges."""
        if start in self.starts and end in self.ends:
            return self.starts[start], self.ends[end] + 1
        return None


def read_gold(folder: Path, name: str) -> GoldDoc:
    text, spans = read_conllu(folder / "conllu" / f"{name}.conllu")
    key = read_conll_clusters(folder / "conll" / f"{name}.conll")
    starts = {s: i for i, (s, _) in enumerate(spans)}
    ends = {e: i for i, (_, e) in enumerate(spans)}
    return GoldDoc(name, text, key, starts, ends)


def read_conllu(path: Path) -> tuple[str, list[tuple[int, int]]]:
    """The document text and each word's character span in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    mwt_end = 0
    mwt_surface = ""
    mwt_start = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar") and parts:
            parts.append("\n\n")
            pos += 2
            continue
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0]:
            mwt_end, mwt_surface, mwt_start = int(cols[0].split("-")[1]), cols[1], pos
            parts.append(cols[1])
            pos += len(cols[1])
            if "SpaceAfter=No" not in cols[9]:
                parts.append(" ")
                pos += 1
            continue
        if "." in cols[0]:
            continue
        idx = int(cols[0])
        if idx <= mwt_end and mwt_surface:
            found = mwt_surface.find(cols[1], max(0, spans[-1][1] - mwt_start) if spans else 0)
            if (found >= 0 and spans and spans[-1][1] <= mwt_start + found) or (found >= 0 and not spans):
                spans.append((mwt_start + found, mwt_start + found + len(cols[1])))
            else:
                spans.append((mwt_start, mwt_start + len(mwt_surface)))
            if idx == mwt_end:
                mwt_surface = ""
            continue
        spans.append((pos, pos + len(cols[1])))
        parts.append(cols[1])
        pos += len(cols[1])
        if "SpaceAfter=No" not in cols[9]:
            parts.append(" ")
            pos += 1
    return "".join(parts), spans


def read_conll_clusters(path: Path) -> list[frozenset[tuple[int, int]]]:
    return parse_conll_clusters(path.read_text(encoding="utf-8").splitlines())


def parse_conll_clusters(lines: list[str]) -> list[frozenset[tuple[int, int]]]:
    """Clusters of two or more (first token, last token + 1) spans from the last
    column of CoNLL coreference lines."""
    open_: dict[str, list[int]] = {}
    clusters: dict[str, set[tuple[int, int]]] = {}
    i = 0
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        tag = cols[-1]
        # Tags run together or split by "|": `(3`, `3)`, `(3)`, `2)3)`, `(4(5`.
        for opening, ent, closing in re.findall(r"(\()?(\d+)(\))?", tag):
            if opening:
                open_.setdefault(ent, []).append(i)
            if closing:
                start = open_[ent].pop()
                clusters.setdefault(ent, set()).add((start, i + 1))
        i += 1
    return [frozenset(c) for c in clusters.values() if len(c) > 1]
