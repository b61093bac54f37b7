"""The built site in a real browser (Debian's chromium via Playwright), phone and desktop widths."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy

from .browser import VIEWPORTS, served
from .browser import axe_serious as _axe_serious
from .browser import screenshot as _screenshot

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site, built and served on 127.0.0.1 at a free port."""
    out = tmp_path_factory.mktemp("browser-site")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(REPO),
         "-d", str(out / "doctrees"), str(REPO / "docs"), str(out / "html")],
        check=True,
    )  # fmt: skip
    with served(out / "html") as url:
        yield url


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


def test_an_entry_download_holds_that_entry_alone(page: Any, base_url: str) -> None:
    """The Cite control's RIS and BibTeX: the entry's own record, cut from the page's file."""
    page.goto(base_url + "topics/osteoporosis.html")
    entry = page.locator("div.sclero-citation").nth(2)
    anchor = entry.get_attribute("id")
    entry.locator("details.sclero-cite summary").click()
    for label, extension in (("RIS", "ris"), ("BibTeX", "bib")):
        with page.expect_download() as info:
            entry.locator("a.sclero-download", has_text=label).click()
        download = info.value
        assert download.suggested_filename == f"{anchor}.{extension}"
        text = Path(download.path()).read_text(encoding="utf-8")
        if extension == "ris":
            records = rispy.loads(text)
            assert [r["id"] for r in records] == [anchor]
            assert records[0]["title"].startswith("Management of bone health")
        else:
            entries = bibtexparser.parse_string(text).entries
            assert [e.key for e in entries] == [anchor]
    assert page.errors == []
