"""Other languages are kept by cleaning and skipped, with a counted reason, by the English-only stages."""

from __future__ import annotations

from storylens.clean.language import not_english
from storylens.engine.stages import StageStats
from storylens.model import Article


def test_only_english_or_unknown_passes() -> None:
    assert not_english(Article(id="a", raw="", language="en")) is None
    assert not_english(Article(id="a", raw="")) is None
    reason = not_english(Article(id="a", raw="", language="de"))
    assert reason is not None and "'de'" in reason and "coreference" in reason


def test_stage_summary_counts_skips_apart_from_failures() -> None:
    stats = StageStats()
    stats.seen["resolve"] = 3
    stats.skipped[("resolve", "not English: language 'de'")] = 2
    (line,) = stats.lines()
    assert "0 failed" in line
    assert "skipped, kept: 2 not English: language 'de'" in line
    other = StageStats()
    other.add(stats)
    assert other.skipped == stats.skipped
