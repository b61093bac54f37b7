"""The real site: a strict build has no warning; the osteoporosis page is the seed's, whole."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sclero.editor.page_text import entries as page_entries

REPO = Path(__file__).parent.parent
SEED = REPO / "legacy" / "citation-identifiers.csv"
LEGACY_TEXT = REPO / "legacy" / "osteoporosis-in-scleroderma.txt"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built as `make check` builds it (strict), once for this module."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", "-c", str(REPO),
         "-d", str(out / "doctrees"), str(REPO / "docs"), str(out / "html")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.stderr == ""
    assert result.returncode == 0
    return out / "html"


def entries(site: Path) -> list[BeautifulSoup]:
    soup = BeautifulSoup(
        (site / "topics/osteoporosis.html").read_text(encoding="utf-8"), "html.parser"
    )
    return soup.select("div.sclero-citation")


def seed_rows() -> list[dict[str, str]]:
    with SEED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _norm(title: str) -> str:
    # The seed's en dashes inside words were damaged hyphens; compare without them.
    return re.sub(r"[\u2013-]", "-", title.rstrip("."))[:50]


def test_every_seed_citation_is_on_the_page_once(site: Path) -> None:
    """All 26 citations of the seed, each once, in the seed's sections."""
    rows = [
        r
        for r in seed_rows()
        if not r["title"].startswith("[") and "patient story" not in r["source_as_written"]
    ]
    assert len(rows) == 26
    shown = [
        _norm(e.select_one(".sclero-citation-title a, .sclero-citation-title strong").get_text())
        for e in entries(site)
    ]
    assert sorted(shown) == sorted(_norm(r["title"]) for r in rows)


def test_entries_keep_the_legacy_pages_order(site: Path) -> None:
    """The editor's order, as the legacy page printed it: nothing re-sorts a topic page."""
    legacy = LEGACY_TEXT.read_text(encoding="utf-8")
    shown = [
        _norm(e.select_one(".sclero-citation-title a, .sclero-citation-title strong").get_text())
        for e in entries(site)
    ]
    positions = [legacy.replace("\u2013", "-").find(title) for title in shown]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_every_change_from_the_legacy_page_is_shown(site: Path) -> None:
    """The seven replaced dates and the two corrected words, each on its entry."""
    soup = BeautifulSoup(
        (site / "topics/osteoporosis.html").read_text(encoding="utf-8"), "html.parser"
    )
    notes = [n.get_text(" ", strip=True) for n in soup.select(".sclero-legacy")]
    legacy = LEGACY_TEXT.read_text(encoding="utf-8")
    for date in ("07/25/2019", "07/04/2019", "12/05/2016", "05/31/2016", "08/01/2019",
                 "04/27/2019", "08/03/2017"):  # fmt: skip
        assert date in legacy
        assert sum(date in note for note in notes) == 1, date
    assert sum("»1 year" in n for n in notes) == 1
    assert sum("used to diagnosis" in n for n in notes) == 1
    provenance = soup.select_one(".sclero-provenance")
    assert provenance is not None
    links = [a["href"] for a in provenance.select("a")]
    assert links == [
        "https://www.sclero.org/scleroderma/symptoms/skeletal/osteoporosis.html",
        "https://web.archive.org/web/2019/"
        "https://www.sclero.org/scleroderma/symptoms/skeletal/osteoporosis.html",
    ]
    assert "From SCLERO.ORG (retired 2021), as of 2019." in provenance.get_text(" ", strip=True)
    status = soup.select_one(".sclero-page-info")
    assert status is not None and status.get_text().startswith("Not yet medically reviewed")


def test_identifiers_are_exactly_the_seeds(site: Path) -> None:
    """Every PMID, PMCID and DOI shown comes from the seed CSV; none is missing, none invented."""
    expected = {
        (kind, row[kind].strip())
        for row in seed_rows()
        for kind in ("pmid", "pmcid", "doi")
        if row[kind].strip()
    }
    shown: set[tuple[str, str]] = set()
    for entry in entries(site):
        text = entry.select_one(".sclero-citation-source").get_text(" ", strip=True)
        shown |= {("pmid", m) for m in re.findall(r"PMID (\d+)", text)}
        shown |= {("pmcid", m) for m in re.findall(r"PMCID (PMC\d+)", text)}
        shown |= {("doi", m) for m in re.findall(r"DOI (10\.\S+)", text)}
    assert shown == expected


def test_sections_patient_stories_and_navigation(site: Path) -> None:
    soup = BeautifulSoup(
        (site / "topics/osteoporosis.html").read_text(encoding="utf-8"), "html.parser"
    )
    headings = [h.get_text(strip=True).rstrip("#¶") for h in soup.select("article h2")]
    assert headings == [
        "Bone Density", "Osteoporosis and Scleroderma", "Treatments for Osteoporosis",
        "Media Stories", "Patient Stories",
    ]  # fmt: skip
    credit_lines = [
        c.get_text(strip=True) for c in soup.select(".sclero-definition .sclero-credit")
    ]
    assert credit_lines == [
        "— International Scleroderma Network (ISN)",
        "— Quoted from Answers.com",
        "— International Scleroderma Network (ISN)",
    ]
    assert [s.get_text(" ", strip=True)[:12] for s in soup.select(".sclero-story")] == [
        "Edith: MCTD ",
        "Susie: CREST",
    ]
    nav = soup.select_one(".sclero-next a")
    assert nav is not None and nav["href"] == "skin.html"


def test_every_also_see_target_has_a_page_with_a_backlink(site: Path) -> None:
    soup = BeautifulSoup(
        (site / "topics/osteoporosis.html").read_text(encoding="utf-8"), "html.parser"
    )
    targets = {a["href"] for a in soup.select("a.sclero-topic")}
    assert len(targets) >= 15
    for href in targets:
        page = BeautifulSoup((site / "topics" / href).read_text(encoding="utf-8"), "html.parser")
        assert "osteoporosis.html" in [a["href"] for a in page.select(".sclero-backlinks a")]


def test_home_page_has_a_card_per_topic(site: Path) -> None:
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    cards = {a["href"] for a in soup.select(".sd-card a.sd-stretched-link")}
    topics = {f"topics/{p.stem}.html" for p in (REPO / "docs" / "topics").glob("*.md")}
    assert cards == topics


def test_report_counts_the_waived_missing_facts(site: Path) -> None:
    report = json.loads((site / "citation-report.json").read_text(encoding="utf-8"))
    assert report["totals"]["errors"] == 0
    assert report["totals"]["waived"] == 4
    # An offline build counts what it did not check (a fresh clone has no link cache), and
    # lists no finding for it: never a link as working or broken.
    # The site's disclosures nobody has stated yet (publisher, funding, advertising; the
    # repository is known only in CI) are notes, never a statement the build makes up.
    assert set(report["per_rule"]) == {"required", "disclosure"}
    assert report["per_rule"]["disclosure"]["notes"] in (3, 4)
    rows = json.loads((site / "link-report.json").read_text(encoding="utf-8"))["occurrences"]
    unchecked = [r for r in rows if r["outcome"] == "unchecked"]
    assert unchecked and report["not_checked"]["links"] == len(unchecked)
    identifiers = {r["checked"]["value"] for r in unchecked if r["checked"]["kind"] != "url"}
    assert report["not_checked"]["identifiers"] >= len(identifiers) > 0
    assert report["counts"]["citations"] == 26


def test_the_cite_control_makes_no_false_statement(site: Path) -> None:
    """Every entry, in every offered style: no "[Preprint]" (no record here says preprint),
    never the journal where the authors go, and each text names the entry's title."""
    source = (REPO / "docs/topics/osteoporosis.md").read_text(encoding="utf-8").split("\n")
    journals = [dict((n, v) for _, n, v in e.options).get("journal") for e in page_entries(source)]
    shown = entries(site)
    assert len(journals) == len(shown) == 26
    checked = 0
    for entry, journal in zip(shown, journals, strict=True):
        title = entry.select_one(".sclero-citation-title > :first-child")
        assert title is not None  # the title: linked to the paper, or bold when it has no link
        for text in entry.select(".sclero-cite-text"):
            cited = text.get_text()
            assert "[Preprint]" not in cited
            assert not (journal and cited.startswith(journal)), cited
            assert " ".join(title.get_text().split())[:40] in cited
            checked += 1
    assert checked == 26 * 3


def test_every_topic_page_states_the_four_benchmarks(site: Path) -> None:
    """Authorship, attribution, disclosure, currency (JAMA, Silberg 1997) on every topic page."""
    pages = sorted((site / "topics").glob("*.html"))
    assert len(pages) == 17
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        about = soup.select_one(".sclero-about-page")
        assert about is not None, page.name
        labels = [s.get_text() for s in about.select("li strong")]
        assert labels == [
            "Author: ", "Sources: ", "Published by: ", "Funding: ", "Advertising: ",
            "Contact: ", "Currency: ",
        ], page.name  # fmt: skip
        # Nothing is stated that nobody stated: unset disclosures say so.
        text = about.get_text(" ", strip=True)
        assert "Funding: not stated" in text and "Advertising: not stated" in text
        assert "reviewed" in text.lower()


def test_a_topic_page_brings_three_files_and_none_per_entry(site: Path) -> None:
    """Its RIS, BibTeX and CSL-JSON; each entry's own record is cut from them in the browser.

    (A file per entry per format made 40,000 files at the size of the legacy site.)
    """
    topics = {page.stem for page in (site / "topics").glob("*.html")}
    extra = [p.relative_to(site) for p in site.rglob("*") if p.is_file()]
    extra = [p for p in extra if p.parts[0] not in ("_static", "topics") and len(p.parts) > 1]
    assert sorted(map(str, extra)) == [
        "citations/osteoporosis.bib", "citations/osteoporosis.json", "citations/osteoporosis.ris"
    ]  # fmt: skip
    assert {p.stem for p in extra} <= topics
