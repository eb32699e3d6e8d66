"""The web app in real headless Chromium (Debian's chromium and chromium-driver,
installed by scripts/install_browser.sh, which `make test` runs).

Screenshots go to test-output/web/ for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from storylens.align.compare import Comparer
from storylens.web.app import create_app

from conftest import ROOT, seed_path

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

OUTLETS = {"000": "Breitbart", "002": "IBTimes", "003": "LifeZette", "004": "TheBlaze"}
SHOTS = ROOT / "test-output" / "web"
CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
MISSING = "chromium/chromedriver missing: run scripts/install_browser.sh"
if (CHROMIUM is None or DRIVER is None) and os.environ.get("STORYLENS_REQUIRE_BROWSER") == "1":
    raise RuntimeError(MISSING)  # CI must drive the browser, never skip it
pytestmark = pytest.mark.skipif(CHROMIUM is None or DRIVER is None, reason=MISSING)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The app under uvicorn on a free port; ``restart`` stops it and starts a
    fresh app on the same store and port, as a server restart would."""

    def __init__(self, comparer: Comparer, db: Path) -> None:
        self.comparer, self.db, self.port = comparer, db, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._start()

    def _start(self) -> None:
        app = create_app(db=self.db, comparer=lambda: self.comparer)
        self.srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.srv.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.srv.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        self.srv.should_exit = True
        self.thread.join(10)

    def restart(self) -> None:
        self.stop()
        self._start()


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from storylens.store.db import Store
    from storylens.store.ingest import ingest
    from storylens.stories.assign import assign_stories

    root = tmp_path_factory.mktemp("store")
    folder = root / "in"
    folder.mkdir()
    for k, name in OUTLETS.items():
        (folder / f"{name}.txt").write_bytes(seed_path(k).read_bytes())
    store = Store(root / "s.duckdb")
    ingest([folder], store, workers=1)
    assign_stories(store)
    store.close()
    return root / "s.duckdb"


@pytest.fixture(scope="module")
def live(comparer: Comparer, store_db: Path) -> Iterator[Server]:
    srv = Server(comparer, store_db)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def server(live: Server) -> str:
    return live.url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _compare(browser, server: str, files: list[tuple[str, Path]] = (), pasted: list[tuple[str, str]] = ()) -> None:
    """Fill one slot per article: its outlet, then its file or pasted text."""
    browser.get(server + "/")
    outlets = browser.find_elements(By.NAME, "outlet")
    uploads = browser.find_elements(By.NAME, "file")
    texts = browser.find_elements(By.NAME, "text")
    for n, (outlet, path) in enumerate(files):
        outlets[n].send_keys(outlet)
        uploads[n].send_keys(str(path))
    for n, (outlet, text) in enumerate(pasted, start=len(files)):
        outlets[n].send_keys(outlet)
        browser.execute_script("arguments[0].value = arguments[1];", texts[n], text)
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 180).until(
        lambda d: d.find_elements(By.ID, "matrix") or d.find_elements(By.ID, "error-message")
    )


@pytest.fixture(scope="module")
def seeds_page(browser, server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("upload")
    files = []
    for k, name in OUTLETS.items():
        path = folder / f"{k}_{seed_path(k).stem[:8]}.txt"  # file names that say nothing of the outlet
        path.write_bytes(seed_path(k).read_bytes())
        files.append((name, path))
    _compare(browser, server, files=files)
    browser.save_screenshot(str(SHOTS / "story.png"))
    return browser.current_url


def test_summary_above_the_matrix_with_named_outlets(browser, seeds_page: str) -> None:
    browser.get(seeds_page)
    summary = browser.find_element(By.ID, "summary")
    matrix = browser.find_element(By.ID, "matrix")
    assert summary.location["y"] < matrix.location["y"]
    cards = {c.find_element(By.TAG_NAME, "h3").text: c for c in summary.find_elements(By.CSS_SELECTOR, ".outlet-card")}
    assert set(cards) == set(OUTLETS.values())  # the names typed beside the files
    assert "22 times" in cards["Breitbart"].find_element(By.CSS_SELECTOR, ".only-here").text
    headlines = browser.find_elements(By.CSS_SELECTOR, "#headlines .headline-card")
    assert len(headlines) == 4 and len({h.location["y"] for h in headlines}) == 1  # side by side at 1366 px
    before = [th.rect["x"] for th in browser.find_elements(By.CSS_SELECTOR, "#matrix thead th")]
    browser.find_element(By.CSS_SELECTOR, "#matrix td.cell.same details summary").click()
    assert [th.rect["x"] for th in browser.find_elements(By.CSS_SELECTOR, "#matrix thead th")] == before
    browser.find_element(By.ID, "expand-all").click()
    opened = browser.find_elements(By.CSS_SELECTOR, "#matrix details[open] .wording")
    assert opened and all(w.is_displayed() for w in opened[:5])
    browser.get(seeds_page)


def test_matrix_marks_single_outlet_facts(browser, seeds_page: str) -> None:
    rows = browser.find_elements(By.CSS_SELECTOR, "#matrix tr.kind-only")
    texts = [r.find_element(By.CSS_SELECTOR, ".claim-text").text for r in rows]
    assert any("only Breitbart" in t and "22 times" in t for t in texts), texts[:5]
    assert any("only IBTimes" in t and "Flynn" in t and "fired" in t for t in texts), texts[:5]
    # A shared claim shows each outlet's own wording when its cell is opened.
    shared = browser.find_element(By.CSS_SELECTOR, "#matrix tr.kind-all")
    cell = shared.find_elements(By.CSS_SELECTOR, "td.cell.same details")[1]
    cell.find_element(By.TAG_NAME, "summary").click()
    assert cell.find_element(By.CSS_SELECTOR, ".wording").is_displayed()
    # Filtering to one-outlet claims hides the shared ones (the page's own script).
    browser.find_element(By.CSS_SELECTOR, '#claim-filters input[value="only"]').click()
    assert not shared.is_displayed()
    browser.save_screenshot(str(SHOTS / "only-one-outlet.png"))
    browser.find_element(By.CSS_SELECTOR, '#claim-filters input[value="any"]').click()


def test_quote_group_shows_demonize_demonise(browser, seeds_page: str) -> None:
    groups = browser.find_elements(By.CSS_SELECTOR, "details.quote")
    demon = next(g for g in groups if "demoni" in g.get_attribute("textContent"))
    demon.find_element(By.TAG_NAME, "summary").click()
    browser.execute_script("arguments[0].scrollIntoView();", demon)
    shown = demon.text
    assert "demonize" in shown and "demonise" in shown
    assert "reference" in shown
    browser.save_screenshot(str(SHOTS / "quote-group.png"))


def test_entity_labels_for_peskov(browser, seeds_page: str) -> None:
    search = browser.find_element(By.ID, "entity-search")
    search.send_keys("peskov")
    peskov = next(e for e in browser.find_elements(By.CSS_SELECTOR, "details.entity") if e.is_displayed())
    peskov.find_element(By.TAG_NAME, "summary").click()
    browser.execute_script("arguments[0].scrollIntoView();", peskov)
    shown = peskov.text
    assert "Dmitry Peskov" in shown
    assert "The Kremlin spokesman" in shown and "Russian President Vladimir Putin’s spokesman" in shown
    browser.save_screenshot(str(SHOTS / "entity-peskov.png"))
    # A label links to its sentence, highlighted in the article.
    peskov.find_element(By.CSS_SELECTOR, ".label a").click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "hl")))
    assert "Peskov" in browser.find_element(By.ID, "hl").text or browser.find_element(By.ID, "hl").text
    browser.find_element(By.ID, "to-resolved").click()
    assert browser.find_elements(By.CSS_SELECTOR, "mark.edit")
    browser.save_screenshot(str(SHOTS / "article-resolved.png"))


def test_hostile_upload_runs_nothing(browser, server: str) -> None:
    base = (
        "The city council of Marlow voted on Tuesday to approve a new budget for the harbour, "
        "after a long debate about dock wages and the cost of repairs to the old sea wall."
    )
    hostile = (
        base + ' <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> '
        '<a href="javascript:window.pwned = 3">link</a> {{ 7 * 7 }}'
    )
    _compare(browser, server, pasted=[('<img src=x onerror="window.pwned=4">', hostile), ("Good", base + " Yes.")])
    assert browser.find_elements(By.ID, "matrix"), browser.page_source[:500]
    assert browser.execute_script("return window.pwned === undefined")
    browser.find_element(By.CSS_SELECTOR, "main > p a[href*='/a?id=']").click()  # the first outlet's article
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "article-text")))
    text = browser.find_element(By.ID, "article-text").text
    assert "<script>window.pwned = 1</script>" in text and "{{ 7 * 7 }}" in text
    assert not browser.find_elements(By.CSS_SELECTOR, "#article-text img, #article-text script, #article-text a")
    assert browser.execute_script("return window.pwned === undefined")
    browser.save_screenshot(str(SHOTS / "hostile-article.png"))


def test_malformed_upload_gets_a_message(browser, server: str) -> None:
    _compare(
        browser, server, pasted=[("Only", "Just one article here, which is not enough to compare anything at all.")]
    )
    assert "at least 2 articles" in browser.find_element(By.ID, "error-message").text


def _fetch(browser, url: str) -> str:
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);", url
    )


def test_kept_after_a_restart_and_exported(browser, live: Server, seeds_page: str) -> None:
    live.restart()
    browser.get(seeds_page)
    assert browser.find_elements(By.ID, "summary"), browser.page_source[:300]
    job = seeds_page.rsplit("/", 1)[1]
    lines = _fetch(browser, f"/c/{job}/export.csv").splitlines()
    assert lines[0] == "fact,fact_text,outlet,article,verdict,evidence,start,end"
    assert any(",Breitbart," in line and "22 times" in line for line in lines)
    report = _fetch(browser, f"/c/{job}/report.html")
    assert "<script" not in report and "Only Breitbart reports" in report and "22 times" in report
    browser.get(live.url + "/")
    assert job in browser.find_element(By.ID, "recent-list").get_attribute("innerHTML")
    assert "Breitbart, IBTimes, LifeZette, TheBlaze" in browser.find_element(By.ID, "recent-list").text


def _pages(browser, server: str, seeds_page: str) -> dict[str, str]:
    browser.get(seeds_page)
    article = browser.find_element(By.CSS_SELECTOR, "main > p a[href*='/a?id=']").get_attribute("href")
    return {"home": server + "/", "story": seeds_page, "article": article, "stories": server + "/stories"}


def test_no_serious_accessibility_violations(browser, server: str, seeds_page: str) -> None:
    from axe_selenium_python import Axe

    found = {}
    for name, url in _pages(browser, server, seeds_page).items():
        browser.get(url)
        axe = Axe(browser)
        axe.inject()
        bad = [v for v in axe.run()["violations"] if v["impact"] in ("serious", "critical")]
        found[name] = [(v["id"], len(v["nodes"]), v["nodes"][0]["target"]) for v in bad]
    assert not any(found.values()), found


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["laptop", "phone"])
def test_every_page_fits_the_screen(browser, server: str, seeds_page: str, size: tuple[int, int]) -> None:
    pages = _pages(browser, server, seeds_page)
    browser.set_window_size(*size)
    try:
        for name, url in pages.items():
            browser.get(url)
            width = browser.execute_script("return document.documentElement.clientWidth")
            scroll = browser.execute_script("return document.documentElement.scrollWidth")
            browser.save_screenshot(str(SHOTS / f"{name}-{size[0]}.png"))
            assert scroll <= width, f"{name} at {size[0]} px: {scroll} px wide in {width}"
        browser.get(seeds_page)
        if size[0] < 500:  # one card per fact, outlets stacked
            row = browser.find_element(By.CSS_SELECTOR, "#matrix tr.claim")
            cells = row.find_elements(By.CSS_SELECTOR, "td.cell")
            assert len({c.location["y"] for c in cells}) == len(cells)
            assert cells[0].find_element(By.CSS_SELECTOR, ".cell-outlet").is_displayed()
        run = browser.find_element(By.ID, "run") if browser.get(server + "/") is None else None
        assert run is not None and run.location["y"] + run.size["height"] <= size[1]  # Compare in view
    finally:
        browser.set_window_size(1366, 900)


def test_more_slots_keep_what_was_typed(browser, server: str) -> None:
    browser.get(server + "/")
    browser.find_elements(By.NAME, "outlet")[0].send_keys("Kept")
    browser.find_element(By.ID, "more-slots").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "fieldset.slot")) == 5
    assert browser.find_elements(By.NAME, "outlet")[0].get_attribute("value") == "Kept"
    assert browser.find_elements(By.NAME, "outlet")[4].get_attribute("value") == ""
