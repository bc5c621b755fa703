"""The static site, served over HTTP and browsed with headless Chromium: no broken link, a page for every
entity, and a network picture that is not blank."""

import functools
import io
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections import deque
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urldefrag

import pytest
from rdflib import Graph, URIRef

from migkg.site import build_site
from migkg.vocab import BASE

ENTITY_PATHS = ("agreement/", "org/", "person/", "source/", "event/")
# Every href the page holds, SVG links included (their .href is not a string), made absolute.
LINKS_JS = """return Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))
  .filter(h => h !== null).map(h => new URL(h, document.baseURI).href);"""


def _browser_paths():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return chromium, driver


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(seed_kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(seed_kg, out)
    return out


@pytest.fixture(scope="module")
def served(site):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    chromium, driver_path = _browser_paths()
    if not (chromium and driver_path):
        # `make test` installs them where it can (root and apt); CI must run this test, never skip it.
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are not installed; `make browser` installs them")
        pytest.skip("chromium and chromium-driver are not installed (`make browser`, or apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.slow
def test_site_in_a_browser(site, served, browser, seed_kg):
    start = served + "index.html"
    seen, queue, broken = {start}, deque([start]), []
    while queue:
        url = queue.popleft()
        status = _status(url)
        if status != 200:
            broken.append((url, status))
            continue
        if not url.endswith(".html"):
            continue
        browser.get(url)
        for link in browser.execute_script(LINKS_JS):
            link = urldefrag(link)[0]
            if link.startswith(served) and link not in seen:
                seen.add(link)
                queue.append(link)
    assert broken == []
    assert any(u.endswith(".ttl") for u in seen) and any(u.endswith(".jsonld") for u in seen)

    g = Graph()
    g.parse(seed_kg / "graph.ttl", format="turtle")
    entities = sorted({str(s) for s in g.subjects() if isinstance(s, URIRef)
                       and str(s).startswith(tuple(BASE + p for p in ENTITY_PATHS))})
    assert entities
    missing = [iri for iri in entities if served + iri[len(BASE):] + ".html" not in seen]
    assert missing == []

    browser.get(served + "network.html")
    assert len(browser.find_elements("css selector", "svg g.nodes circle")) >= 2
    from PIL import Image

    shot = Image.open(io.BytesIO(browser.get_screenshot_as_png())).convert("RGB")
    pixels = list(shot.getdata())
    coloured = sum(1 for r, gr, b in pixels if max(r, gr, b) - min(r, gr, b) > 60)
    # The nodes are saturated colours on white: a blank or unstyled page has next to none.
    assert coloured > 0.002 * len(pixels)
    assert len(set(pixels)) > 20


def test_pages_escape_and_are_stable(site, seed_kg, tmp_path):
    pages = sorted(p for p in site.rglob("*.html") if p.name != "ontology.html")
    assert not any("<script" in p.read_text(encoding="utf-8").lower() for p in pages)
    again = tmp_path / "again"
    build_site(seed_kg, again)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second
    assert (site / ".htaccess").is_file() and (site / "nginx-migkg.conf").is_file()
