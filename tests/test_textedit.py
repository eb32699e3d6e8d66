from hypothesis import given
from hypothesis import strategies as st

from storylens.model import Edit
from storylens.textedit import OffsetMap, apply_edits, revert_edits


@st.composite
def text_and_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    text = draw(st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=200))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    edits, last = [], -1
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a <= last or (a == b and a == last):
            continue
        replacement = draw(st.text(max_size=15))
        edits.append(Edit(a, b, text[a:b], replacement))
        last = b
    return text, edits


@given(text_and_edits())
def test_revert_gives_back_the_source(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    edited = apply_edits(text, edits)
    assert revert_edits(edited, edits) == text


@given(text_and_edits())
def test_offset_map_is_exact_outside_edits(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    edited = apply_edits(text, edits)
    omap = OffsetMap(edits)
    for i, ch in enumerate(text):
        if any(e.start <= i < e.end for e in edits):
            continue
        j = omap.to_target(i)
        assert edited[j] == ch
        assert omap.to_source(j) == i


def test_overlapping_edits_are_refused() -> None:
    import pytest

    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(0, 3, "abc", "x"), Edit(2, 4, "cd", "y")])
    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(0, 2, "zz", "x")])
