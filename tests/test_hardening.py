"""Defects found by trying storylens as a new user and as a hostile tester
(issue 10): each test failed before its fix."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storylens.align.claims import ClaimGroup
from storylens.align.conflicts import number_conflicts
from storylens.clean import MAX_CHARS, load_article
from storylens.clean.sources import collect
from storylens.errors import InputError, StorylensError
from storylens.model import Claim

from conftest import seed_path


def run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storylens.cli", *args], capture_output=True, text=True, timeout=timeout
    )


def _seed_text(key: str) -> str:
    return seed_path(key).read_text(encoding="utf-8")


def _as_html(text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
    return f"<html><body><article>{paragraphs}</article></body></html>"


# 1. Same ids ----------------------------------------------------------------


def test_same_stem_in_two_folders_gets_two_ids_and_says_so(tmp_path: Path) -> None:
    for outlet, key in (("outlet1", "000"), ("outlet2", "002")):
        (tmp_path / outlet).mkdir()
        (tmp_path / outlet / "index.html").write_text(_as_html(_seed_text(key)), encoding="utf-8")
    typed = [str(tmp_path / "outlet1" / "index.html"), str(tmp_path / "outlet2" / "index.html")]
    got = collect(typed, {typed[0]: "Breitbart", typed[1]: "IBTimes"})
    assert not got.problems
    assert sorted(a.id for a in got.articles) == ["outlet1/index", "outlet2/index"]
    assert {a.id: a.outlet for a in got.articles} == {"outlet1/index": "Breitbart", "outlet2/index": "IBTimes"}
    assert any("each now has its own" in n for n in got.notes)


def test_txt_and_html_of_one_stem_and_jsonl_duplicate_ids(tmp_path: Path) -> None:
    (tmp_path / "evil.txt").write_text(_seed_text("000"), encoding="utf-8")
    (tmp_path / "evil.html").write_text(_as_html(_seed_text("003")), encoding="utf-8")
    rows = [
        {"id": "bb", "outlet": "A", "text": _seed_text("002")},
        {"id": "bb", "outlet": "B", "text": _seed_text("004")},
    ]
    (tmp_path / "x.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    got = collect([tmp_path / "evil.txt", tmp_path / "evil.html", tmp_path / "x.jsonl"])
    assert not got.problems, got.problems
    by_id = {a.id: a for a in got.articles}
    assert len(by_id) == 4 and {"evil.txt", "evil.html"} <= set(by_id)
    assert by_id["evil.txt"].text.startswith("Russian President")
    records = [a for a in got.articles if a.id.startswith("bb-")]
    assert sorted(a.outlet for a in records) == ["A", "B"]
    assert next(a for a in records if a.outlet == "A").text[:30] == collect([seed_path("002")]).articles[0].text[:30]


def test_resolve_out_keeps_both_same_stem_articles_and_resumes_by_identity(tmp_path: Path) -> None:
    for sub, key in (("a", "000"), ("b", "003")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "story.txt").write_text(_seed_text(key), encoding="utf-8")
    out = tmp_path / "out"
    args = ["resolve", str(tmp_path / "a" / "story.txt"), str(tmp_path / "b" / "story.txt"), "--out", str(out)]
    first = run(*args)
    assert first.returncode == 0, first.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == ["a_story.json", "b_story.json"]
    texts = {json.loads((out / n).read_text(encoding="utf-8"))["text"][:30] for n in written}
    assert len(texts) == 2
    again = run(*args)
    assert again.returncode == 0 and "2 already done" in again.stderr


# 2. Articles too long for the parser -----------------------------------------


def test_huge_article_is_refused_and_the_batch_goes_on(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join([_seed_text("002")] * 400)[: MAX_CHARS * 12], encoding="utf-8")
    assert big.stat().st_size > 1_000_000
    out = tmp_path / "d"
    proc = run("resolve", str(seed_path("000")), str(big), str(seed_path("003")), "--out", str(out))
    assert proc.returncode == 1
    assert "limit for one article" in proc.stderr and "Traceback" not in proc.stderr
    assert len(list(out.glob("*.json"))) == 2


def test_character_limit_is_checked_after_cleaning(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(("The port workers went on strike again today. " * 3000), encoding="utf-8")
    with pytest.raises(InputError, match="100,000-character"):
        load_article(path)


# 3. Article text is data, never terminal markup -------------------------------


def test_brackets_survive_the_terminal(tmp_path: Path) -> None:
    text = _seed_text("003").replace("during her campaign", "During [the] campaign [/] [bold]x[/bold]", 1)
    if text == _seed_text("003"):
        text = _seed_text("003") + "\n\nDuring [the] campaign [/] the port [bold]x[/bold] closed for a week."
    (tmp_path / "lz.txt").write_text(text, encoding="utf-8")
    proc = run("resolve", str(tmp_path / "lz.txt"))
    assert proc.returncode == 0, proc.stderr[-800:]
    assert "During [the] campaign [/]" in proc.stdout and "[bold]x[/bold]" in proc.stdout
    explained = run("clean", "--explain", str(seed_path("003")))
    assert "[lz_related_box" in explained.stdout


def test_outlet_names_with_markup_print_as_written() -> None:
    from rich.console import Console

    from storylens.report.terminal import plain

    console = Console(record=True, width=80)
    console.print(plain("Outlet [/] [red]x"))
    assert "Outlet [/] [red]x" in console.export_text()


# 4. JSONL records of the wrong type ----------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("outlet", ["a"]), ("outlet", 7), ("title", {"a": 1}), ("text", 42)],
)
def test_jsonl_field_of_the_wrong_type_is_reported_with_line_and_field(
    tmp_path: Path, field: str, value: object
) -> None:
    good = {"id": "ok", "outlet": "A", "text": _seed_text("000")}
    bad = {"id": "bad", "outlet": "B", "text": _seed_text("002"), field: value}
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    got = collect([path])
    assert [a.id for a in got.articles] == ["ok"]
    (problem,) = got.problems
    assert f"s.jsonl:2: field '{field}'" in problem


# 5. Output paths are checked before the work -----------------------------------


def test_bad_output_paths_fail_fast(tmp_path: Path) -> None:
    t = time.perf_counter()
    proc = run("compare", str(seed_path("000")), str(seed_path("002")), "--html", "/nonexistent/dir/r.html", "--json")
    assert proc.returncode == 2 and "does not exist" in proc.stderr and not proc.stdout
    afile = tmp_path / "file"
    afile.write_text("x", encoding="utf-8")
    proc = run("resolve", str(seed_path("000")), "--out", str(afile))
    assert proc.returncode == 2 and "not a folder" in proc.stderr
    assert time.perf_counter() - t < 60  # no model was loaded for either


# 6. Workers die with their parent -----------------------------------------------


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_when_the_parent_is_killed(tmp_path: Path) -> None:
    base = _seed_text("000")
    for i in range(60):
        (tmp_path / f"a{i:02d}.txt").write_text(f"Story {i}. {base}", encoding="utf-8")
    parent = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "storylens.cli",
            "resolve",
            str(tmp_path),
            "--workers",
            "2",
            "--out",
            str(tmp_path / "o"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    workers: list[int] = []
    while time.time() < deadline and len(workers) < 2:
        time.sleep(0.5)
        workers = [
            c for c in _children(parent.pid) if "python" in Path(f"/proc/{c}/cmdline").read_text(errors="replace")
        ]
    assert len(workers) >= 2, "the workers never started"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    time.sleep(3)
    survivors = [w for w in workers if _alive(w)]
    for w in survivors:
        os.kill(w, signal.SIGKILL)
    assert not survivors


def test_worker_count_follows_the_batch() -> None:
    from storylens.engine.local import plan_workers

    assert plan_workers(2, 10) == 1
    assert plan_workers(2, 200) == 2
    assert plan_workers(8, 60) == 2


# 7. Encodings ------------------------------------------------------------------------


def test_utf16_with_bom_is_text(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes(_seed_text("000").encode("utf-16"))
    article = load_article(path)
    assert article.text.startswith("Russian President")


def test_jsonl_with_utf8_bom_keeps_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    rows = [{"id": "one", "text": _seed_text("000")}, {"id": "two", "text": _seed_text("002")}]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(json.dumps(r) for r in rows).encode("utf-8"))
    assert [a.id for a in collect([path]).articles] == ["one", "two"]


def test_latin1_warning_reaches_every_command(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    text = _seed_text("002").encode("ascii", errors="ignore").decode("ascii")
    path.write_bytes(("Caf\u00e9 society. " + text).encode("latin-1"))
    got = collect([path])
    assert [a.text[:4] for a in got.articles] == ["Café"]
    assert any("not valid UTF-8" in n and "cp1252" in n for n in got.notes)


# 8. Messages that say what happened ----------------------------------------------------


def test_chinese_and_one_word_articles_get_true_messages(tmp_path: Path) -> None:
    zh = tmp_path / "zh.txt"
    zh.write_text(
        "俄罗斯总统普京的发言人在接受采访时表示，俄罗斯驻美大使会见了特朗普竞选团队的成员。" * 4, encoding="utf-8"
    )
    # Kept: cleaning needs no language, and unspaced text counts its characters as words.
    assert load_article(zh).language == "zh"
    one = tmp_path / "one.txt"
    one.write_text("Hello", encoding="utf-8")
    with pytest.raises(InputError, match="too short to be an article"):
        load_article(one)


def test_unknown_outlet_key_is_an_error_and_shared_outlet_a_note() -> None:
    with pytest.raises(StorylensError, match="--outlet names no input"):
        collect([seed_path("000"), seed_path("002")], {"typo.txt": "X"})
    got = collect([seed_path("000"), seed_path("002")], {seed_path("000").name: "Same", seed_path("002").name: "Same"})
    assert any("outlet 'Same' has 2 articles" in n for n in got.notes)


def test_short_real_headline_is_kept() -> None:
    from storylens.clean import clean_text

    cleaned = clean_text(
        "Port workers strike\n\nWorkers at the Port of Marlow went on strike on Tuesday over pay and the automation "
        "of the cranes, their union said."
    )
    assert cleaned.title == "Port workers strike"


def test_compare_exits_non_zero_when_an_input_was_skipped(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    proc = run("compare", str(seed_path("000")), str(seed_path("002")), str(empty), "--json")
    assert proc.returncode == 1 and "empty" in proc.stderr
    assert len(json.loads(proc.stdout)["articles"]) == 2


# 9. Comparison slips ---------------------------------------------------------------------


def test_conflicts_compare_like_with_like() -> None:
    def claim(aid: str, text: str) -> Claim:
        return Claim(aid, 0, len(text), text, text)

    dates = ClaimGroup(
        "c0", [claim("a", "Peskov spoke on Sunday (12 March)."), claim("b", "During the 2016 election he spoke.")]
    )
    visits = ClaimGroup(
        "c1",
        [
            claim("a", "Kislyak visited the White House 22 times."),
            claim("b", "Kislyak visited the White House 20 times."),
        ],
    )
    conflicts = number_conflicts([dates, visits])
    assert [c["claim"] for c in conflicts] == ["c1"]
    assert conflicts[0]["kind"] == "count" and conflicts[0]["of"] == "time"


# 10. Nits ------------------------------------------------------------------------------------


def test_version_flags_and_one_json_convention(tmp_path: Path) -> None:
    assert run("--version").stdout.startswith("storylens ")
    helptext = run("resolve", "--help").stdout
    assert "<bool>" not in helptext and "--backend" in helptext
    proc = run("clean", "--json", str(seed_path("000")), str(seed_path("002")))
    lines = [json.loads(ln) for ln in proc.stdout.splitlines() if ln.strip()]
    assert [d["article"] for d in lines] == [seed_path("000").stem, seed_path("002").stem]
