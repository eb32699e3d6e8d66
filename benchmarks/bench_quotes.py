"""How fast does quote grouping grow with the number of quote segments?

Every OntoGUM sentence of 8 to 40 words becomes a quote of one of 100
"articles"; one in ten is repeated in another article with a word dropped and
British spelling, so there is something to group. Prints the time to group
500, 1,000, 2,000 and 4,000 quotes and the time per quote.

    .venv/bin/python benchmarks/bench_quotes.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from storylens.align.quote_groups import group_quotes
from storylens.model import Quote

from corpus import ontogum_texts


def sentences() -> list[str]:
    out = []
    for _, text in ontogum_texts():
        for sent in text.replace("\n\n", " ").split(". "):
            if 8 <= len(sent.split()) <= 40:
                out.append(sent.strip() + ".")
    return out


def quotes(n: int, pool: list[str]) -> list[Quote]:
    out = []
    for i in range(n):
        text = pool[i % len(pool)]
        if i % 10 == 9:  # an echo of the previous quote in another outlet
            words = pool[(i - 1) % len(pool)].split()
            text = " ".join(words[:3] + words[4:]).replace("ize", "ise")
        out.append(Quote(article_id=f"a{i % 100}", start=0, end=len(text), text=text, speaker="Speaker"))
    return out


def main() -> None:
    pool = sentences()
    print(f"{len(pool)} OntoGUM sentences")
    print(f"{'quotes':>7} {'groups':>7} {'seconds':>8} {'ms/quote':>9}")
    for n in (500, 1000, 2000, 4000):
        batch = quotes(n, pool)
        t = time.perf_counter()
        groups = group_quotes(batch)
        s = time.perf_counter() - t
        print(f"{n:>7} {len(groups):>7} {s:>8.2f} {1000 * s / n:>9.3f}")


if __name__ == "__main__":
    main()
