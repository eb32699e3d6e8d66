"""The command line: one-line errors, non-zero exits, batches that survive bad files and resume."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import seed_path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storylens.cli", *args], capture_output=True, text=True, timeout=300)


def test_clean_explain_lists_rules() -> None:
    proc = run("clean", "--explain", str(seed_path("004")))
    assert proc.returncode == 0, proc.stderr
    assert "Kremlin: Russian ambassador met with Clinton campaign, too" in proc.stdout
    for rule in ("bot_check", "live_banner", "link_list", "caption_credit"):
        assert rule in proc.stdout
    assert "Please verify\n" not in proc.stdout.split("Removed or repaired")[0]


def test_clean_json(tmp_path: Path) -> None:
    proc = run("clean", "--json", str(seed_path("003")))
    data = json.loads(proc.stdout)
    assert data["article"] == seed_path("003").stem
    assert any(r["rule"] == "cms_shortcode" for r in data["removed"])


def test_bad_inputs_give_one_line_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    for path, message in ((tmp_path / "missing.txt", "no such file"), (empty, "empty"), (binary, "binary")):
        proc = run("resolve", str(path))
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and message in lines[0], proc.stderr


def test_resolve_json_for_one_file() -> None:
    proc = run("resolve", "--json", str(seed_path("000")))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["article"] == seed_path("000").stem
    assert "he [Sergey Kislyak] had" in data["resolved"]


def test_batch_survives_a_bad_file_and_resumes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 50)
    good = [str(seed_path(k)) for k in ("000", "002")]
    proc = run("resolve", "--out", str(out), "--workers", "2", "--batch-size", "1", *good, str(bad))
    assert proc.returncode == 1
    assert "binary" in proc.stderr
    written = sorted(p.name for p in out.glob("*.json"))
    assert written == sorted(f"{Path(g).stem}.json" for g in good)
    again = run("resolve", "--out", str(out), *good)
    assert again.returncode == 0
    assert "2 already done" in again.stderr


def test_duplicate_articles_are_reported_once(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(seed_path("000").read_text(encoding="utf-8"), encoding="utf-8")
    proc = run("resolve", "--json", str(seed_path("000")), str(copy))
    assert "duplicate" in proc.stderr
    assert len([ln for ln in proc.stdout.splitlines() if ln.strip()]) == 1


def test_demo_runs_on_bundled_examples() -> None:
    proc = run("demo")
    assert proc.returncode == 0, proc.stderr
    assert "harbor_gazette.txt" in proc.stdout and "coastal_herald.html" in proc.stdout
    assert "Tomasz Nowak" in proc.stdout


def test_serve_refuses_a_port_out_of_range() -> None:
    done = run("serve", "--port", "99999")
    assert done.returncode != 0
    assert "1 to 65535" in done.stderr and "Traceback" not in done.stderr
