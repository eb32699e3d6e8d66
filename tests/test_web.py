"""The web app through its HTTP interface (no browser): API, limits, errors, safety headers."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from storylens.align.compare import Comparer
from storylens.web.app import create_app

from conftest import seed_path

OUTLETS = {"000": "Breitbart", "002": "IBTimes", "003": "LifeZette", "004": "TheBlaze"}
LOCAL = "http://127.0.0.1:8000"
ENGLISH = (
    "The city council of Marlow voted on Tuesday to approve a new budget for the harbour, "
    "after a long debate about dock wages and the cost of repairs to the old sea wall."
)


@pytest.fixture(scope="module")
def client(comparer: Comparer) -> TestClient:
    with TestClient(create_app(comparer=lambda: comparer), base_url=LOCAL) as c:
        yield c


def _wait(client: TestClient, job_id: str, limit: float = 120) -> dict:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        got = client.get(f"/api/comparisons/{job_id}").json()
        if got["status"] in ("done", "failed"):
            return got
        time.sleep(0.2)
    raise AssertionError(f"comparison {job_id} did not finish in {limit} s")


@pytest.fixture(scope="module")
def seeds_job(client: TestClient) -> dict:
    files = [("file", (f"{name}.txt", seed_path(k).read_bytes(), "text/plain")) for k, name in OUTLETS.items()]
    started = client.post("/api/comparisons", files=files)
    assert started.status_code == 202, started.text
    running = client.get(f"/c/{started.json()['id']}")  # the progress page while it works
    assert running.status_code == 200 and "Comparing 4 articles" in running.text
    done = _wait(client, started.json()["id"])
    assert done["status"] == "done", done["error"]
    return done


def test_api_result_has_the_compare_json_shape(seeds_job: dict) -> None:
    result = seeds_job["result"]
    assert set(result) == {
        "articles",
        "entities",
        "quotes",
        "claims",
        "verdicts",
        "summary",
        "framing",
        "conflicts",
        "problems",
    }
    assert sorted(a["outlet"] for a in result["articles"]) == sorted(OUTLETS.values())
    assert any(s.startswith("resolved: ") for s in seeds_job["steps"])
    assert seeds_job["stage"] == "done" and seeds_job["elapsed"] > 0


def test_story_page_marks_single_outlet_facts(client: TestClient, seeds_job: dict) -> None:
    page = client.get(f"/c/{seeds_job['id']}").text
    matrix = page[page.index('id="matrix"') :]
    visits = matrix[matrix.index("22 times") - 2000 : matrix.index("22 times")]
    assert "only Breitbart" in visits
    # Every cell of the matrix links to its sentence in the article.
    assert f"/c/{seeds_job['id']}/a?id=" in page and "start=" in page


def test_story_page_opens_on_the_findings(client: TestClient, seeds_job: dict) -> None:
    page = client.get(f"/c/{seeds_job['id']}").text
    summary, headlines, matrix = (page.index(f'id="{x}"') for x in ("summary", "headlines", "matrix"))
    assert summary < headlines < matrix
    findings = page[summary:headlines]
    breitbart = findings[findings.index("<h3>Breitbart</h3>") :]
    breitbart = breitbart[: breitbart.index("</div>")]
    # The single-outlet fact is listed under its outlet, linked to its sentence in that article.
    assert "Only Breitbart reports" in breitbart and "22 times" in breitbart
    article = next(a["id"] for a in seeds_job["result"]["articles"] if a["outlet"] == "Breitbart")
    assert f"/c/{seeds_job['id']}/a?id={article}&amp;start=" in breitbart
    shown = page[headlines:matrix]
    for a in seeds_job["result"]["articles"]:
        assert a["outlet"] in shown and (a["title"] or "(no headline)") in shown
    # Each cell starts with its outlet's own sentence; "expand all" opens every one.
    assert 'class="excerpt"' in page and "<details open>" not in page
    assert "<details open>" in client.get(f"/c/{seeds_job['id']}?expand=1").text


def test_summary_of_prefers_the_comparisons_own() -> None:
    from storylens.web.summary import summary_of

    own = {"outlets": 2, "all_report": [], "by_outlet": [], "conflicts": []}
    assert summary_of({"summary": own, "articles": []}) is own
    data = {
        "articles": [
            {"id": "a", "outlet": "A", "unique_claims": ["c1"], "omitted_claims": []},
            {"id": "b", "outlet": "B", "unique_claims": [], "omitted_claims": ["c1"]},
        ],
        "claims": [
            {"id": "c0", "text": "both", "articles": ["a", "b"], "occurrences": []},
            {
                "id": "c1",
                "text": "one",
                "articles": ["a"],
                "occurrences": [{"article": "a", "start": 3, "end": 9, "text": "one"}],
            },
        ],
        "conflicts": [],
    }
    got = summary_of(data)
    assert [f["fact"] for f in got["all_report"]] == ["c0"]
    assert got["by_outlet"][0]["only_here"][0]["evidence"][0]["start"] == 3
    assert got["by_outlet"][1]["leaves_out"][0]["reported_by"] == ["A"]


def test_reference_outlet_for_quote_diffs(client: TestClient, seeds_job: dict) -> None:
    page = client.get(f"/c/{seeds_job['id']}?ref=IBTimes").text
    assert '<option value="IBTimes" selected>' in page
    assert "demonise" in page and "demonize" in page


def test_article_view_toggles_resolved_and_shows_cleaning(client: TestClient, seeds_job: dict) -> None:
    article = seeds_job["result"]["articles"][0]["id"]
    clean = client.get(f"/c/{seeds_job['id']}/a/{article}?start=0&end=20")
    assert clean.status_code == 200 and '<mark id="hl">' in clean.text
    resolved = client.get(f"/c/{seeds_job['id']}/a/{article}?view=resolved").text
    assert 'class="edit"' in resolved and "What cleaning changed" in resolved
    assert client.get(f"/c/{seeds_job['id']}/a/nope").status_code == 404


def test_limits_and_bad_input_get_clear_4xx(client: TestClient) -> None:
    one = client.post("/api/comparisons", data={"text": [ENGLISH], "outlet": ["A"]})
    assert one.status_code == 422 and "at least 2 articles" in one.json()["detail"]
    many = client.post("/api/comparisons", data={"text": [ENGLISH + f" {i}" for i in range(21)]})
    assert many.status_code == 413 and "at most 20" in many.json()["detail"]
    binary = [
        ("file", ("a.txt", b"\x00\x01\x02" * 100, "text/plain")),
        ("file", ("b.txt", ENGLISH.encode(), "text/plain")),
    ]
    refused = client.post("/api/comparisons", files=binary)
    assert refused.status_code == 422 and "binary" in refused.json()["detail"]
    big = [
        ("file", ("big.txt", b"word " * 2_200_000, "text/plain")),
        ("file", ("b.txt", ENGLISH.encode(), "text/plain")),
    ]
    assert client.post("/api/comparisons", files=big).status_code == 413
    garbled = client.post(
        "/api/comparisons", content=b"--xx\r\nnonsense", headers={"content-type": "multipart/form-data; boundary=xx"}
    )
    assert 400 <= garbled.status_code < 500
    page = client.post("/compare", data={"text": [ENGLISH]})
    assert page.status_code == 422 and "at least 2 articles" in page.text and "<html" in page.text
    assert client.get("/c/doesnotexist").status_code == 404
    assert client.get("/api/stories").status_code == 404  # no --db


def test_security_headers_and_openapi(client: TestClient) -> None:
    home = client.get("/")
    csp = home.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert home.headers["x-content-type-options"] == "nosniff"
    spec = client.get("/openapi.json").json()
    assert {"/api/comparisons", "/api/comparisons/{job_id}", "/api/stories"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 404  # its page would load scripts from a CDN


def test_untrusted_text_is_escaped(client: TestClient) -> None:
    hostile = (
        ENGLISH + ' <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> '
        '<a href="javascript:alert(1)">link</a> {{ 7 * 7 }} {% for x in y %}'
    )
    started = client.post(
        "/api/comparisons", data={"text": [hostile, ENGLISH + " The mayor agreed."], "outlet": ["<b>Evil</b>", "Good"]}
    )
    assert started.status_code == 202, started.text
    done = _wait(client, started.json()["id"])
    assert done["status"] == "done", done["error"]
    page = client.get(f"/c/{done['id']}").text
    article = client.get(f"/c/{done['id']}/a/{done['result']['articles'][0]['id']}").text
    for html in (page, article):
        assert "<script>window" not in html and "<b>Evil</b>" not in html and 'onerror="window' not in html
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in article
    # The template syntax shows as typed, never evaluated; ids are random hex, so look only at the text.
    shown = article.split('id="article-text">', 1)[1].split("</div>", 1)[0]
    assert shown.endswith("{{ 7 * 7 }} {% for x in y %}") and "49" not in shown


def test_story_browser_with_a_store(comparer: Comparer, tmp_path: Path) -> None:
    from storylens.store.db import Store
    from storylens.store.ingest import ingest
    from storylens.stories.assign import assign_stories

    db = tmp_path / "s.duckdb"
    folder = tmp_path / "in"
    folder.mkdir()
    for k, name in OUTLETS.items():
        (folder / f"{name}.txt").write_bytes(seed_path(k).read_bytes())
    store = Store(db)
    ingest([folder], store, workers=1)
    assign_stories(store)
    store.close()
    with TestClient(create_app(db=db, comparer=lambda: comparer), base_url=LOCAL) as c:
        found = c.get("/api/stories", params={"entity": "Peskov"}).json()["stories"]
        assert found and found[0]["articles"] == 4
        assert c.get("/api/stories", params={"q": "zebra crossing"}).json()["stories"] == []
        assert f'href="/story?id={found[0]["id"]}"' in c.get("/stories", params={"q": "Kislyak"}).text
        opened = c.get(f"/stories/{found[0]['id']}", follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"].startswith("/c/")
        missing = c.get("/stories/s999")
        assert missing.status_code == 404 and "storylens " not in missing.text  # the app's words, not the CLI's
        # Words in any order, inflected otherwise than in the text.
        ordered = c.get("/api/stories", params={"q": "Kislyak ambassador"}).json()["stories"]
        assert ordered and c.get("/api/stories", params={"q": "ambassadors kislyak"}).json()["stories"] == ordered
        assert ordered[0]["title"].strip() and not ordered[0]["title"].startswith("s")


def test_story_titles_are_headlines() -> None:
    from storylens.web.stories import best_title, is_headline, stem

    assert not is_headline("May 2, 2013, 1:12 PM") and not is_headline("  ") and not is_headline(None)
    assert is_headline("Oscar host named for 2014")
    assert best_title([("May 2, 2013, 1:12 PM", "x"), ("Host named", "y"), (None, "z")]) == "Host named"
    assert best_title([("A", ""), ("B", ""), ("B", "")]) == "B"  # the headline several articles share
    assert best_title([(None, "The council met on Tuesday.\nMore.")]) == "The council met on Tuesday."
    assert stem("oscars") == stem("Oscar") and stem("hosted") == stem("hosting") == "host"


# ---- issue 23, items 19, 25 and 26 (web) ----


def test_only_loopback_hosts_unless_allowed(comparer: Comparer) -> None:
    app = create_app(comparer=lambda: comparer)
    with TestClient(app, base_url="http://rebound.example:8000") as c:
        refused = c.get("/")
        assert refused.status_code == 400 and "--allow-host" in refused.json()["detail"]
        assert c.get("/api/comparisons").status_code == 400  # what DNS rebinding would read
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000"):
        with TestClient(app, base_url=f"http://{host}") as c:
            assert c.get("/").status_code == 200, host
    with TestClient(
        create_app(comparer=lambda: comparer, allow_hosts=["news.example"]), base_url="http://news.example"
    ) as c:
        assert c.get("/").status_code == 200


def test_cross_origin_requests_change_nothing(client: TestClient) -> None:
    data = {"text": [ENGLISH, ENGLISH + " The mayor agreed."]}
    cross = (
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site", "origin": "http://other.127.0.0.1:8000"},
    )
    for headers in cross:
        refused = client.post("/api/comparisons", data=data, headers=headers)
        assert refused.status_code == 403, headers
        assert client.post("/compare", data=data, headers=headers).status_code == 403
    ok = client.post("/api/comparisons", data={"text": [ENGLISH]}, headers={"origin": LOCAL})
    assert ok.status_code == 422
    # Chromium's own form post under Referrer-Policy: no-referrer.
    own = client.post("/compare", data={"text": [ENGLISH]}, headers={"origin": "null", "sec-fetch-site": "same-origin"})
    assert own.status_code == 422  # same origin: reaches the form, which asks for a second article


def test_head_answers_like_get(client: TestClient) -> None:
    head = client.head("/")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("text/html")


def test_article_links_carry_any_id(client: TestClient, comparer: Comparer) -> None:
    from storylens.clean.sources import article_from_record

    odd = ["x/y", "q?a=1", "h#f", ".."]
    articles = [
        article_from_record({"id": aid, "outlet": f"Outlet {n}", "text": f"{ENGLISH} Story {n} adds more."}, "test")
        for n, aid in enumerate(odd)
    ]
    job = client.app.state.jobs.submit(articles, [])
    done = _wait(client, job.id)
    assert done["status"] == "done", done["error"]
    page = client.get(f"/c/{job.id}").text
    for aid in odd:
        link = f"/c/{job.id}/a?id={quote(aid, safe='')}"
        assert f'href="{link}"' in page, aid
        opened = client.get(link)
        assert opened.status_code == 200 and 'id="article-text"' in opened.text, aid


def test_upload_limits_in_mib_and_long_names(client: TestClient) -> None:
    other = ("file", ("b.txt", ENGLISH.encode(), "text/plain"))
    big = client.post("/api/comparisons", files=[("file", ("big.txt", b"word " * 1_320_000, "text/plain")), other])
    # 6,600,000 bytes: 6.3 MiB, over the 5 MiB limit (not "6.6 MB over 5 MB", nor the bytes read so far).
    assert big.status_code == 413 and big.json()["detail"] == "big.txt: 6.3 MiB is over the 5 MiB limit per article"
    # A pasted article between Starlette's 1 MiB default and the 5 MiB limit reaches the loader.
    pasted = client.post("/api/comparisons", data={"text": ["word " * 400_000, ENGLISH]})
    assert "1024KB" not in pasted.text and "100,000-character limit" in pasted.json()["detail"]
    over = client.post("/api/comparisons", data={"text": ["word " * 1_100_000, ENGLISH]})
    assert over.status_code == 413 and "5 MiB limit" in over.json()["detail"]
    long = client.post(
        "/api/comparisons", files=[("file", ("n" * 5000 + ".txt", ENGLISH.encode(), "text/plain")), other]
    )
    assert long.status_code == 400 and "file name may be too long" in long.json()["detail"]
    named = client.post("/api/comparisons", files=[("file", ("n" * 3000 + ".txt", b"\x00" * 50, "text/plain")), other])
    assert named.status_code == 422 and len(named.json()["detail"]) < 500
    home = client.get("/").text
    assert "5 MiB" in home and "20 MiB" in home


# ---- comparisons kept, exported, deleted; the page's own form ----


def test_comparisons_survive_a_restart_and_export(comparer: Comparer, tmp_path: Path) -> None:
    import csv
    import io

    kept = tmp_path / "data" / "comparisons.duckdb"
    files = {k: seed_path(k).read_bytes() for k in ("000", "002")}
    with TestClient(create_app(comparer=lambda: comparer, keep_in=kept), base_url=LOCAL) as c:
        # The page's slots: a file and the outlet typed beside it, with its date.
        posted = c.post(
            "/compare",
            data={"outlet": ["Breitbart", "IBTimes"], "date": ["2017-03-02", ""], "text": ["", ""]},
            files=[
                ("file", ("000_x.txt", files["000"], "text/plain")),
                ("file", ("002_y.txt", files["002"], "text/plain")),
            ],
            follow_redirects=False,
        )
        assert posted.status_code == 303
        job_id = posted.headers["location"].rsplit("/", 1)[1]
        done = _wait(c, job_id)
        assert done["status"] == "done", done["error"]
        assert [a["outlet"] for a in done["result"]["articles"]] == ["Breitbart", "IBTimes"]
    with TestClient(create_app(comparer=lambda: comparer, keep_in=kept), base_url=LOCAL) as c:
        page = c.get(f"/c/{job_id}")
        assert page.status_code == 200 and 'id="summary"' in page.text
        listed = c.get("/").text
        assert f'href="/c/{job_id}"' in listed and "Breitbart, IBTimes" in listed and "2017-03-02" in listed
        article = done["result"]["articles"][0]["id"]
        assert c.get(f"/c/{job_id}/a", params={"id": article}).status_code == 200
        rows = list(csv.DictReader(io.StringIO(c.get(f"/c/{job_id}/export.csv").text)))
        claims = done["result"]["claims"]
        assert len(rows) == 2 * len(claims)
        stated = next(r for r in rows if r["verdict"] == "reports it")
        assert stated["start"].isdigit() and stated["evidence"]
        assert {r["outlet"] for r in rows} == {"Breitbart", "IBTimes"}
        report = c.get(f"/c/{job_id}/report.html")
        assert report.status_code == 200 and "<script" not in report.text and "<style>" in report.text
        assert "Only Breitbart reports" in report.text and stated["evidence"][:40] in report.text
        assert c.post(f"/c/{job_id}/delete", follow_redirects=False).status_code == 303
        assert c.get(f"/c/{job_id}").status_code == 404
    with TestClient(create_app(comparer=lambda: comparer, keep_in=kept), base_url=LOCAL) as c:
        assert c.get(f"/c/{job_id}").status_code == 404  # deleted for good


def test_progress_names_each_stage_with_its_time() -> None:
    from storylens.web.jobs import Job

    job = Job(id="j", title="t", articles=[object(), object()], problems=[], status="running")  # type: ignore[list-item]
    assert job.stage().startswith("parsing article 1 of 2")
    job.log("resolved: A")
    assert job.stage().startswith("parsing article 2 of 2")
    job.log("resolved: B")
    assert job.stage() == "embedding the facts and aligning them across outlets"
    job.log("aligned")
    assert job.stage().startswith("writing the summary")
    assert len(job.step_times) == 3 and job.step_times == sorted(job.step_times)
    assert job.progress()["elapsed"] >= 0
