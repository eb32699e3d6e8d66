"""Bad input: a clear error, never a traceback, and the good articles still go through."""

from __future__ import annotations

from pathlib import Path

import pytest

from storylens.clean import MAX_BYTES, load_article
from storylens.errors import InputError

ENGLISH = (
    "The harbour bridge will close for six weeks from Monday, the city council said on Tuesday. "
    "Engineers found cracks in two of its steel supports during an inspection last month."
)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_article(tmp_path / "nope.txt")


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_text("  \n\n ")
    with pytest.raises(InputError, match="empty"):
        load_article(p)


def test_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "image.txt"
    p.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InputError, match="binary"):
        load_article(p)


def test_invalid_utf8_decodes_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "latin.txt"
    p.write_bytes(ENGLISH.replace("council", "councilâ€™s café").encode("cp1252", errors="replace"))
    article = load_article(p)
    assert "café" in article.text
    assert article.warnings and "not valid UTF-8" in article.warnings[0]


def test_huge_file_is_refused_with_the_limit(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("w") as f:
        line = ENGLISH + "\n"
        for _ in range(MAX_BYTES // len(line) + 2):
            f.write(line)
    with pytest.raises(InputError, match="MB limit"):
        load_article(p)


def test_html_without_article(tmp_path: Path) -> None:
    p = tmp_path / "nav.html"
    p.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    with pytest.raises(InputError, match="no article text"):
        load_article(p)


def test_broken_html_still_yields_the_article(tmp_path: Path) -> None:
    p = tmp_path / "broken.html"
    p.write_text(f"<html><body><div><p>{ENGLISH}<p>{ENGLISH.upper().lower()}</div")
    article = load_article(p)
    assert "harbour bridge will close" in article.text


def test_non_english_is_kept_with_its_language(tmp_path: Path) -> None:
    p = tmp_path / "de.txt"
    p.write_text(
        "Die Brücke über den Hafen wird ab Montag für sechs Wochen gesperrt, teilte der Stadtrat am Dienstag mit. "
        "Ingenieure hatten bei einer Inspektion im vergangenen Monat Risse in zwei Stahlträgern gefunden."
    )
    article = load_article(p)
    assert article.language == "de"
    assert article.text.startswith("Die Brücke")


def test_html_example_is_extracted_with_its_title() -> None:
    path = Path(__file__).resolve().parent.parent / "src/storylens/examples/coastal_herald.html"
    article = load_article(path)
    assert article.title and "Strike shuts Port of Marlow" in article.title
    assert "Home | News" not in article.text and "Subscribe" not in article.text
    assert "Tomasz Nowak, who leads the Marlow Dockers Union" in article.text
