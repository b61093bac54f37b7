"""The built site in a real browser (Debian's chromium via Playwright), phone and desktop widths.

A missing browser or axe-core fails these tests, naming the command that installs them
(`make test` checks for both before it starts).
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "_build" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# The flags this machine needs: no sandbox as root, and no background calls to Google.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _require(ok: bool, why: str) -> None:
    if not ok:
        pytest.fail(f"{why}; `make test-deps` installs it")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (base signature)
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site, built and served on 127.0.0.1 at a free port."""
    out = tmp_path_factory.mktemp("browser-site")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(REPO),
         "-d", str(out / "doctrees"), str(REPO / "docs"), str(out / "html")],
        check=True,
    )  # fmt: skip
    handler = functools.partial(_QuietHandler, directory=str(out / "html"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require(CHROMIUM.exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    _require(AXE.exists(), "axe-core is not installed (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    """A fresh page at one viewport; collects console errors and uncaught exceptions."""
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.viewport_name = request.param
    yield page
    context.close()


def _axe_serious(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa', 'best-practice']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.viewport_name}.png"), full_page=True)


def test_home_page(page: Any, base_url: str) -> None:
    page.goto(base_url + "index.html")
    cards = page.locator(".sd-card")
    topics = len(list((REPO / "docs" / "topics").glob("*.md")))
    assert cards.count() == topics
    assert page.locator("form.sclero-search input[name=q]").is_visible()
    assert page.locator(".sclero-disclaimer-link a").is_visible()
    _screenshot(page, "home")
    assert _axe_serious(page) == []
    assert page.errors == []


def test_osteoporosis_page(page: Any, base_url: str) -> None:
    page.goto(base_url + "topics/osteoporosis.html")
    entries = page.locator("div.sclero-citation")
    assert entries.count() == 26
    for i in range(26):
        entry = entries.nth(i)
        entry.scroll_into_view_if_needed()
        assert entry.is_visible()
        box = entry.bounding_box()
        # Nothing overflows the viewport sideways, on a phone too.
        assert box is not None and box["x"] >= 0
        assert box["x"] + box["width"] <= VIEWPORTS[page.viewport_name]["width"] + 1
    _screenshot(page, "osteoporosis")
    violations = _axe_serious(page)
    assert violations == [], json.dumps(violations, indent=1)
    assert page.errors == []


def test_search_finds_a_citation_by_a_title_word(page: Any, base_url: str) -> None:
    page.goto(base_url + "index.html")
    page.fill("form.sclero-search input[name=q]", "periodontology")
    page.click("form.sclero-search button")
    page.wait_for_selector("#search-results ul.search li", timeout=15_000)
    hits = page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert any("topics/osteoporosis.html" in h for h in hits), hits
    assert page.errors == []


def test_also_see_link_navigates_to_its_topic(page: Any, base_url: str) -> None:
    page.goto(base_url + "topics/osteoporosis.html")
    link = page.locator(".sclero-citation-also-see a").first
    title = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("/topics/liver-spleen.html")
    assert page.locator("h1").first.inner_text().rstrip("#¶ \n") == title
    assert page.errors == []


def _tab_until(page: Any, selector: str, limit: int = 60) -> tuple[int, list[str]]:
    """Press Tab until the focus is on an element matching ``selector``; (presses, hidden
    elements that took the focus on the way)."""
    hidden: list[str] = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """(selector) => {
              const el = document.activeElement;
              const rect = el.getBoundingClientRect();
              const style = getComputedStyle(el);
              const shown = rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden'
                && rect.right > 0 && rect.left < window.innerWidth;
              return {match: el.matches(selector), shown, what: el.outerHTML.slice(0, 80)};
            }""",
            selector,
        )
        if not state["shown"]:
            hidden.append(state["what"])
        if state["match"]:
            return presses, hidden
    return limit + 1, hidden


def test_content_is_a_few_tab_stops_away_and_hidden_menus_take_no_focus(
    page: Any, base_url: str
) -> None:
    """Skip to content, then the first PubMed link of the page; no stop in a hidden drawer."""
    page.goto(base_url + "topics/osteoporosis.html")
    presses, hidden = _tab_until(page, "a.skip-to-content")
    assert presses == 1 and hidden == []
    page.keyboard.press("Enter")
    presses, hidden = _tab_until(page, ".sclero-citation a[href*='pubmed.ncbi.nlm.nih.gov']")
    assert hidden == []
    assert presses <= 25, presses
    # Without the skip link, from the top: still no stop in a hidden menu.
    page.goto(base_url + "topics/osteoporosis.html")
    _, hidden = _tab_until(page, ".sclero-citation a[href*='pubmed.ncbi.nlm.nih.gov']", 120)
    assert hidden == []


def test_cite_control_works_from_the_keyboard(page: Any, base_url: str) -> None:
    page.goto(base_url + "topics/osteoporosis.html")
    first = page.locator("details.sclero-cite").first
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    assert first.evaluate("d => d.open")
    labels = first.locator(".sclero-cite-label").all_inner_texts()
    assert labels == ["AMA", "Vancouver", "APA"]  # AMA, the default, first
    text = first.locator(".sclero-cite-text").first.inner_text()
    assert "Prevalence and risk factors for osteoporosis" in text and "Chest" in text
    assert "[Preprint]" not in first.inner_text()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "sclero-copy"
    page.keyboard.press("Enter")
    # Served over http the clipboard is closed: the text is selected and that is announced.
    status = first.locator(".sclero-copied")
    status.wait_for(state="attached")
    page.wait_for_function("el => el.textContent.length > 0", arg=status.element_handle())
    assert status.inner_text() in ("Copied", "Selected: press Ctrl+C to copy")
    assert page.evaluate("window.getSelection().toString()") in ("", text)
    links = first.locator("a.sclero-download")
    hrefs = links.evaluate_all("as => as.map(a => [a.textContent, a.getAttribute('download')])")
    assert [h[0] for h in hrefs] == ["RIS", "BibTeX"] and all(h[1] for h in hrefs)
    assert _axe_serious(page) == []
    assert page.errors == []


def test_stub_topics_say_so_on_their_cards(page: Any, base_url: str) -> None:
    page.goto(base_url + "index.html")
    stub = page.locator(".sd-card:has(.sclero-stub)")
    pending = [p for p in (REPO / "docs" / "topics").glob("*.md")
               if "migration: pending" in p.read_text(encoding="utf-8")]  # fmt: skip
    assert stub.count() == len(pending) == 16
    assert page.locator(".sd-card:not(:has(.sclero-stub))").count() == 1
