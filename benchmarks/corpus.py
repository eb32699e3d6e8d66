"""Benchmark texts: the seeds and OntoGUM documents rebuilt from their CoNLL-U text lines."""

from __future__ import annotations

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
