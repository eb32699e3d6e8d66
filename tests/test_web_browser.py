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


@pytest.fixture(scope="module")
def server(comparer: Comparer) -> Iterator[str]:
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(comparer=lambda: comparer), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _compare(browser, server: str, files: list[Path] = (), pasted: list[tuple[str, str]] = ()) -> None:
    browser.get(server + "/")
    if files:
        browser.find_element(By.ID, "files").send_keys("\n".join(str(f) for f in files))
    outlets = browser.find_elements(By.NAME, "outlet")
    texts = browser.find_elements(By.NAME, "text")
    for (outlet, text), o, t in zip(pasted, outlets, texts, strict=False):
        o.send_keys(outlet)
        browser.execute_script("arguments[0].value = arguments[1];", t, text)
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 180).until(
        lambda d: d.find_elements(By.ID, "matrix") or d.find_elements(By.ID, "error-message")
    )


@pytest.fixture(scope="module")
def seeds_page(browser, server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("upload")
    files = []
    for k, name in OUTLETS.items():
        path = folder / f"{name}.txt"
        path.write_bytes(seed_path(k).read_bytes())
        files.append(path)
    _compare(browser, server, files=files)
    browser.save_screenshot(str(SHOTS / "story.png"))
    return browser.current_url


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
    browser.find_element(By.CSS_SELECTOR, "main > p a[href*='/a/']").click()  # the first outlet's article
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
