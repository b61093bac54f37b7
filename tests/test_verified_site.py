"""The osteoporosis page built against stand-ins of E-utilities and Crossref that know authors
and publication types: what a reader sees on verified and unverified entries, in a browser too.

The stand-in records repeat each entry's own facts (title, journal, date, locators), so they
match; their authors ("Standin A" ...) and publication types are the stand-ins' own, marked as
such, and never real metadata of the cited papers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sclero.editor.page_text import entries as page_entries
from sclero.model.evidence import STUDY_KINDS, StudyKind, study_kind
from sclero.model.fields import MONTHS

from . import registry_data
from .browser import axe_serious, screenshot, served
from .linkserver import CROSSREF, HOSTS, serve

REPO = Path(__file__).parent.parent
PAGE = REPO / "docs" / "topics" / "osteoporosis.md"
# Publication types handed out in turn; ["Journal Article"] alone names no kind.
PUBTYPES = (
    ["Journal Article", "Meta-Analysis", "Systematic Review"],
    ["Journal Article"],
    ["Randomized Controlled Trial"],
    ["Journal Article", "Review"],
    ["Case Reports"],
    ["Observational Study"],
)
# One build with the overrides (argv: source, conf dir, output, overrides as JSON).
BUILD = """
import json, sys
from sphinx.application import Sphinx
src, conf, out, overrides = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
Sphinx(src, conf, out + "/html", out + "/doctrees", "html", confoverrides=overrides,
       status=None, freshenv=True).build()
"""
# Identifiers the stand-ins do not know: their entries stay unverified.
UNKNOWN = {"10.1016/j.chest.2019.06.036"}


@dataclass
class Planted:
    """What the stand-ins say about one entry: its authors and kind of study (if any)."""

    authors: list[str]
    kind: StudyKind | None

    @property
    def label(self) -> str:
        """The label the entry should show ("" for none)."""
        return STUDY_KINDS[self.kind].label if self.kind else ""


def _nlm(date: str) -> str:
    parts = date.split("-")
    return " ".join([parts[0]] + ([MONTHS[int(parts[1]) - 1]] if len(parts) > 1 else [])
                    + ([str(int(parts[2]))] if len(parts) > 2 else []))  # fmt: skip


def _esummary(
    pmid: str, pmcid: str, doi: str, facts: tuple[str, ...], authors: list[str], types: list[str]
) -> dict[str, Any]:
    """An esummary 2.0 document with the entry's facts (PubMed's, or PMC's without a PMID)."""
    title, journal, date, volume, issue, pages = facts
    ids = {k: v for k, v in (("doi", doi), ("pmc", pmcid)) if v}
    record = registry_data._pubmed(
        pmid or pmcid.removeprefix("PMC"),
        title + ".",
        journal,
        _nlm(date),
        volume,
        issue,
        pages,
        authors,
        ids,
        types,
    )
    if not pmid:  # a PMC record names its identifiers as "pmcid" (and "pmid" when it has one)
        record["articleids"] = [{"idtype": "pmcid", "value": pmcid},
                                {"idtype": "doi", "value": doi}]  # fmt: skip
    return record


def _crossref_work(doi: str, facts: tuple[str, ...], authors: list[str]) -> dict[str, Any]:
    """A Crossref ``/works`` message with the entry's facts."""
    title, journal, date, volume, issue, pages = facts
    return {
        "DOI": doi, "type": "journal-article", "title": [title],
        "container-title": [journal], "short-container-title": [journal],
        "volume": volume, "issue": issue, "page": pages,
        "issued": {"date-parts": [[int(p) for p in date.split("-")]]},
        "author": [{"family": a.split()[0], "given": a.split()[1],
                    "sequence": "first" if i == 0 else "additional"}
                   for i, a in enumerate(authors)],
    }  # fmt: skip


def stand_ins() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Planted]]:
    """PubMed, PMC and Crossref records for the page's entries; what each entry should show."""
    pubmed: dict[str, Any] = {}
    pmc: dict[str, Any] = {}
    crossref: dict[str, Any] = {}
    planted: dict[str, Planted] = {}
    lines = PAGE.read_text(encoding="utf-8").split("\n")
    for number, entry in enumerate(page_entries(lines)):
        fields = {name: value for _, name, value in entry.options}
        pmid, pmcid, doi = (fields.get(name, "") for name in ("pmid", "pmcid", "doi"))
        if not (pmid or doi) or doi in UNKNOWN:
            continue
        types = PUBTYPES[number % len(PUBTYPES)]
        authors = [f"Standin {chr(65 + i)}" for i in range(number % 9 + 1)]
        facts = (
            entry.title,
            fields.get("journal", ""),
            fields["date"],
            fields.get("volume", ""),
            fields.get("issue", ""),
            fields.get("pages", ""),
        )
        if pmid or pmcid:
            # PubMed's types name the kind; a PMC record is the same paper's, found by PMCID.
            record = _esummary(pmid, pmcid, doi, facts, authors, types)
            if pmid:
                pubmed[pmid] = record
            if pmcid:
                uid = pmcid.removeprefix("PMC")
                pmc[uid] = {**record, "uid": uid, "pubtype": []}
            kind = study_kind(types) if pmid else None  # PMC's summaries give no types
        else:
            crossref[doi.lower()] = _crossref_work(doi, facts, authors)
            kind = study_kind([], "journal-article")  # Crossref's type names no kind here
        planted[entry.title] = Planted(authors, kind)
    return pubmed, pmc, crossref, planted


@dataclass
class Site:
    """The built site, its build's messages, and what the stand-ins said about each entry."""

    html: Path
    warnings: str
    planted: dict[str, Planted]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real docs/ built against the stand-ins (the osteoporosis page's records)."""
    pubmed, pmc, crossref, planted = stand_ins()
    out = tmp_path_factory.mktemp("verified-site")
    with pytest.MonkeyPatch.context() as patch, serve() as (port, _):
        for table, records in ((registry_data.PUBMED, pubmed), (registry_data.PMC, pmc),
                               (CROSSREF, crossref)):  # fmt: skip
            for key, record in records.items():
                patch.setitem(table, key, record)
        base = f"http://127.0.0.1:{port}/"
        overrides = {
            "sclero_linkcheck_mode": "budget",
            "sclero_linkcheck_allowed_hosts": list(HOSTS),
            "sclero_linkcheck_profiles": {h: (50, 4) for h in HOSTS},
            "sclero_linkcheck_cache": str(out / "cache" / "links.sqlite3"),
            "sclero_eutils": base,
            "sclero_crossref": base,
            "sclero_doi_api": base + "api/handles/",
        }
        # In its own process: the site's theme and extensions register docutils nodes
        # globally, which would leak into the one-off builds of other test modules.
        built = subprocess.run(
            [sys.executable, "-c", BUILD, str(REPO / "docs"), str(REPO), str(out),
             json.dumps(overrides)],
            capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"},
        )  # fmt: skip
        assert built.returncode == 0, built.stderr
    yield Site(out / "html", built.stderr, planted)


def _nlm_authors(names: list[str]) -> str:
    """PubMed's way: up to six names, then "et al."."""
    return ", ".join(names[:6]) + (", et al." if len(names) > 6 else "")


def _shown(site: Site) -> list[tuple[str, Any]]:
    """(title as the page source gives it, the entry's HTML) for each entry, in order."""
    lines = PAGE.read_text(encoding="utf-8").split("\n")
    soup = BeautifulSoup((site.html / "topics/osteoporosis.html").read_text(encoding="utf-8"),
                         "html.parser")  # fmt: skip
    shown = soup.select("div.sclero-citation")
    titles = [entry.title for entry in page_entries(lines)]
    assert len(shown) == len(titles) == 26
    return list(zip(titles, shown, strict=True))


def test_the_build_against_the_records_is_clean(site: Site) -> None:
    """Every stand-in record agrees with its entry: no warning, no note."""
    assert site.warnings == ""
    assert len(site.planted) == 10  # every entry with an identifier but the one left unknown


def test_verified_entries_show_their_authors_and_kind_and_unverified_ones_no_kind(
    site: Site,
) -> None:
    for title, entry in _shown(site):
        line = entry.select_one(".sclero-citation-verification")
        assert line is not None, title
        study = line.select_one(".sclero-study")
        planted = site.planted.get(title)
        if planted is None:
            # No record: no authors, no kind (never guessed from the title's words).
            assert study is None, title
            assert "authors from" not in line.get_text(), title
            assert line.get_text().startswith(("No identifier", "Verified against doi.org")), title
            continue
        text = line.get_text()
        assert "Verified against " in text, title
        assert f"{_nlm_authors(planted.authors)} (authors from the " in text, title
        if planted.label:
            assert study is not None and study.get_text() == planted.label, title
            anchor = planted.kind.value.replace("_", "-") if planted.kind else ""
            assert study["href"] == f"../evidence.html#{anchor}", title
        else:
            assert study is None, title
    labels = {p.label for p in site.planted.values()} - {""}
    assert labels == {"Randomised trial", "Case report", "Review"}


def test_the_evidence_line_is_under_the_title(site: Site) -> None:
    soup = BeautifulSoup((site.html / "topics/osteoporosis.html").read_text(encoding="utf-8"),
                         "html.parser")  # fmt: skip
    title = soup.select_one("h1")
    assert title is not None
    line = title.find_next_sibling()
    assert line is not None and line.get("class") == ["sclero-evidence"]
    # From the stand-ins: a review (2017) and a trial; 7 verified records name no kind; the
    # Chest DOI is only registered at doi.org; 11 articles give no identifier; 4 news items.
    assert line.get_text() == (
        "Evidence cited here: 1 review, 1 trial, 7 other studies, 1 article of unknown kind, "
        "11 articles not yet verified, 4 news and web items. The newest review is from 2017."
    )


@pytest.fixture(scope="module")
def site_url(site: Site) -> Iterator[str]:
    with served(site.html) as url:
        yield url


def test_kind_labels_and_cite_styles_in_a_browser(page: Any, site_url: str) -> None:
    """The labels link to their explanation; each style names the record's authors first."""
    page.goto(site_url + "topics/osteoporosis.html")
    assert page.locator(".sclero-evidence").is_visible()
    labels = page.locator("a.sclero-study")
    assert labels.all_inner_texts() == ["Randomised trial", "Case report", "Review"]
    entry = page.locator("div.sclero-citation:has(a.sclero-study.randomised_trial)")
    details = entry.locator("details.sclero-cite")
    details.locator("summary").click()
    assert entry.locator(".sclero-cite-label").all_inner_texts() == ["AMA", "Vancouver", "APA"]
    texts = entry.locator(".sclero-cite-text").all_inner_texts()
    assert [t.split(",")[0].split(" ")[0] for t in texts] == ["Standin"] * 3, texts
    assert all("[Preprint]" not in t for t in texts)
    screenshot(page, "osteoporosis-verified")
    violations = axe_serious(page)
    assert violations == [], violations
    label = labels.first
    label.click()
    page.wait_for_load_state()
    assert page.url.endswith("/evidence.html#randomised-trial")
    heading = page.locator("#randomised-trial h2")
    assert heading.inner_text().rstrip("#¶ \n") == "Randomised trial"
    assert heading.is_visible()
    assert page.errors == []


def test_every_cite_text_names_the_records_authors_first_never_preprint(site: Site) -> None:
    """All 26 entries in each offered style: no "[Preprint]" (no stand-in says preprint), never
    the journal where the authors go; a verified entry's text starts with its record's first
    author, in each style's form of the name."""
    source = PAGE.read_text(encoding="utf-8").split("\n")
    journals = {e.title: dict((n, v) for _, n, v in e.options).get("journal")
                for e in page_entries(source)}  # fmt: skip
    checked = 0
    for title, entry in _shown(site):
        texts = [t.get_text() for t in entry.select(".sclero-cite-text")]
        assert len(texts) == 3, title
        for text in texts:
            assert "[Preprint]" not in text
            journal = journals[title]
            assert not (journal and text.startswith(journal)), text
            if title in site.planted:
                assert text.startswith("Standin"), text
            checked += 1
    assert checked == 26 * 3
