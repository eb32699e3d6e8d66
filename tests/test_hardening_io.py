"""Issue 23, the loader: one bad input is one problem, the rest are read, and
every reader decodes bytes alike. Each test failed before its fix."""

from __future__ import annotations

import codecs
import csv
import json
import os
import time
from pathlib import Path

import pytest

from storylens.clean import MAX_BYTES
from storylens.clean.sources import article_from_record, collect
from storylens.engine.stages import Work
from storylens.errors import InputError
from storylens.store.ingest import estimate_count, read_file, read_inputs

TEXT = (
    "The harbour council voted on Tuesday to close the old pier after engineers found deep cracks "
    "in its supports, and the mayor said repairs would begin next spring."
)
QUOTED = (
    "The mayor said \u201cthe pier will reopen next year\u201d after the council met on Tuesday "
    "to hear what the engineers had found in the supports."
)


def _text(n: int) -> str:
    return f"Report {n}. " + TEXT


def _split(items: list[Work]) -> tuple[list[Work], list[Work]]:
    return [w for w in items if w.article is not None], [w for w in items if w.article is None]


def test_a_lone_surrogate_is_one_problem_and_the_other_records_are_read(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [json.dumps({"id": "a", "text": _text(1)}), '{"id": "b", "text": "Work\\udc80ers ' + TEXT + '"}']
    lines.append(json.dumps({"id": "c", "text": _text(3)}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok, bad = _split(list(read_file(path)))
    assert [w.key for w in ok] == ["a", "c"]
    assert len(bad) == 1 and "lone surrogate" in bad[0].error and "field 'text'" in bad[0].error
    out = collect([path])
    assert len(out.articles) == 2 and len(out.problems) == 1


def test_an_unreadable_file_and_folder_are_problems_not_tracebacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok.txt").write_text(_text(1), encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(_text(2), encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "inner.txt").write_text(_text(3), encoding="utf-8")
    # Root reads a mode-000 file anyway, so the refusal is what the OS would say.
    real_open, real_scandir = Path.open, os.scandir

    def guarded_open(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    def guarded_scandir(path: object = ".") -> object:
        if Path(os.fsdecode(path)).name == "sub":  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fsdecode(path))  # type: ignore[arg-type]
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", guarded_open)
    monkeypatch.setattr(os, "scandir", guarded_scandir)
    ok, bad = _split(list(read_inputs([tmp_path])))
    assert [Path(w.source).name for w in ok] == ["ok.txt"]
    assert sorted(Path(w.source).name for w in bad) == ["locked.txt", "sub"]
    assert all("cannot read" in w.error for w in bad)
    out = collect([tmp_path])
    assert len(out.articles) == 1 and len(out.problems) == 2


def test_a_file_name_that_is_not_utf8_gets_a_printable_storable_name(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/bad\xffname.txt"
    with open(name, "wb") as f:
        f.write(_text(1).encode())
    (w,) = read_inputs([tmp_path])
    assert w.article is not None
    w.source.encode("utf-8")  # DuckDB and the terminal take it
    assert "\\xff" in w.source and w.article.source_path == w.source


def test_utf8_with_one_bad_byte_keeps_its_curly_quotes(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(QUOTED.encode("utf-8") + b" One bad byte \xff here.")
    out = collect([path])
    (a,) = out.articles
    assert "\u201cthe pier will reopen next year\u201d" in a.text
    assert any("replaced" in n for n in out.notes)


def test_cp1252_and_utf16_line_files_read_as_clean_reads_them(tmp_path: Path) -> None:
    cp = tmp_path / "cp.csv"
    cp.write_bytes(("id,text\nx1," + QUOTED.replace(",", "") + "\n").encode("cp1252"))
    (w,) = read_file(cp)
    assert w.article is not None and "\u201cthe pier" in w.article.text
    assert any("cp1252" in n for n in w.article.warnings)
    wide = tmp_path / "wide.csv"
    wide.write_bytes(codecs.BOM_UTF16_LE + ("id,text\r\nx2," + _text(2) + "\r\n").encode("utf-16-le"))
    ok, bad = _split(list(read_file(wide)))
    assert [w.key for w in ok] == ["x2"] and not bad
    wj = tmp_path / "wide.jsonl"
    wj.write_bytes(codecs.BOM_UTF16_LE + (json.dumps({"id": "x3", "text": _text(3)}) + "\n").encode("utf-16-le"))
    ok, bad = _split(list(read_file(wj)))
    assert [w.key for w in ok] == ["x3"] and not bad


def test_a_bare_carriage_return_inside_a_jsonl_record_does_not_split_it(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"id": "a",\r "text": ' + json.dumps(_text(1)).encode() + b"}\n")
    ok, bad = _split(list(read_file(path)))
    assert [w.key for w in ok] == ["a"] and not bad
    assert len(collect([path]).articles) == 1


def _parquet(path: Path, rows: list[dict[str, object]]) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), str(path))


def test_parquet_names_with_glob_characters_and_quotes_read_exactly_that_file(tmp_path: Path) -> None:
    _parquet(tmp_path / "glob1.parquet", [{"id": "one", "text": _text(1)}])
    _parquet(tmp_path / "glob[1].parquet", [{"id": "bracket", "text": _text(2)}])
    _parquet(tmp_path / "it's quoted.parquet", [{"id": "quote", "text": _text(3)}])
    assert [w.key for w in read_file(tmp_path / "glob[1].parquet")] == ["bracket"]
    assert [w.key for w in read_file(tmp_path / "it's quoted.parquet")] == ["quote"]
    assert estimate_count([tmp_path]) == 3


def test_parquet_fields_that_are_not_text_are_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    _parquet(path, [{"id": "b", "text": _text(1).encode()}])
    (w,) = read_file(path)
    assert w.article is None and "field 'text'" in w.error
    _parquet(path, [{"id": "l", "text": ["a", "b"]}])
    (w,) = read_file(path)
    assert w.article is None and "field 'text'" in w.error


def test_an_unterminated_csv_quote_is_reported_not_swallowed(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(["id", "text"])
        f.write(f'r1,"{_text(1)}\nr2,{_text(2)}\n')
    items = list(read_file(path))
    assert any(w.article is None and "malformed CSV" in w.error for w in items)
    assert all("Report 2" not in (w.article.text if w.article else "") for w in items)


def test_a_fifo_and_a_device_are_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    start = time.monotonic()
    out = collect([fifo, "/dev/zero"])
    assert time.monotonic() - start < 5
    assert len(out.problems) == 2 and all("not a regular file" in p for p in out.problems)
    (w,) = read_file(fifo)
    assert "not a regular file" in w.error


def test_over_long_lines_and_fields_are_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    big = json.dumps({"id": "big", "text": "word " * (MAX_BYTES // 5 + 10)})
    path.write_text(big + "\n" + json.dumps({"id": "ok", "text": _text(1)}) + "\n", encoding="utf-8")
    ok, bad = _split(list(read_file(path)))
    assert [w.key for w in ok] == ["ok"]
    assert len(bad) == 1 and "limit" in bad[0].error
    # A field that came some other way than a line (Parquet, the web form) is checked itself.
    start = time.monotonic()
    with pytest.raises(InputError, match=r"field 'html'.*limit"):
        article_from_record({"id": "h", "html": "<p>" + "x " * MAX_BYTES + "</p>"}, "form")
    assert time.monotonic() - start < 10
