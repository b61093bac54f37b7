"""What readers take away: COinS, RIS/BibTeX/CSL-JSON exports, listings, review notices."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl

import bibtexparser
import pytest
import rispy
from bs4 import BeautifulSoup
from sclero.model.records import Citation
from sclero.model.registry_record import Notice, NoticeKind
from sclero.model.verification import Verification
from sclero.readers.formats import Exported, kev_pairs, to_bibtex, to_csl, to_ris

from .conftest import BuildPages, citation

FULL = Citation(
    docname="topics/x",
    lineno=3,
    anchor="pmid-29898932",
    kind="article",
    title="Management of bone health in patients with celiac disease (CD)",
    summary="Patients with CD require\ncalcium.",
    fields=(
        ("outlet", "PubMed"), ("journal", "Can Fam Physician"), ("date", "2018-06-01"),
        ("volume", "64"), ("issue", "6"), ("pages", "433-438"), ("pmid", "29898932"),
        ("pmcid", "PMC5999247"), ("doi", "10.1000/x.1"), ("issn", "0008-350X"),
    ),
)  # fmt: skip
HOSTILE = Citation(
    docname="topics/x",
    lineno=3,
    anchor="hostile",
    kind="article",
    title='Bone "x" <script>alert(1)</script> & {evil} 100%\nTY  - JOUR',
    summary="} injected = {x",
    fields=(("journal", 'J "A" & <B>'), ("date", "2019")),
)


AUTHORS = ("Duerksen D", "Pinto-Sanchez MI", "Anca A")
VERIFIED = Verification(
    "verified", "PubMed", "2026-11-20", ", ".join(AUTHORS), "PubMed",
    (Notice(NoticeKind.correction, "Erratum in", pmid="30000001", source="PubMed"),),
    AUTHORS,
)  # fmt: skip


def test_coins_keys_for_a_full_citation() -> None:
    assert kev_pairs(Exported(FULL)) == [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
        ("rft.genre", "article"),
        ("rft.atitle", "Management of bone health in patients with celiac disease (CD)"),
        ("rft.jtitle", "Can Fam Physician"),
        ("rft.volume", "64"),
        ("rft.issue", "6"),
        ("rft.issn", "0008-350X"),
        ("rft.spage", "433"),
        ("rft.epage", "438"),
        ("rft.date", "2018-06-01"),
        ("rft_id", "info:pmid/29898932"),
        ("rft_id", "info:doi/10.1000/x.1"),
        ("rft_id", "https://pmc.ncbi.nlm.nih.gov/articles/PMC5999247/"),
    ]
    # A verified record adds its first author; a retraction marks the title.
    notice = Notice(NoticeKind.retraction, "Retraction in", pmid="3")
    retracted = Verification("verified", "PubMed", "2026-11-20", "Duerksen D et al.", "PubMed",
                             (notice,))  # fmt: skip
    pairs = dict(kev_pairs(Exported(FULL, retracted)))
    assert (pairs["rft.aulast"], pairs["rft.auinit"]) == ("Duerksen", "D")
    assert pairs["rft.atitle"].startswith("[Retracted] Management")


def test_news_is_an_article_in_a_newspaper_in_every_format() -> None:
    fields = (("outlet", "New York Times"), ("date", "2018-07-16"))
    news = Citation("topics/x", 3, "nyt", "news", "When to Get Your Bone Density Tested",
                    "Guidelines.", fields)  # fmt: skip
    entry = Exported(news)
    assert dict(kev_pairs(entry))["rft.jtitle"] == "New York Times"
    assert rispy.loads(to_ris([entry]))[0]["type_of_reference"] == "NEWS"
    [item] = to_csl([entry])
    assert (item["type"], item["container-title"]) == ("article-newspaper", "New York Times")
    [bib] = bibtexparser.parse_string(to_bibtex([entry])).entries
    assert (bib.entry_type, bib["journal"]) == ("article", "New York Times")


def test_coins_in_html_escapes_hostile_text(build_pages: BuildPages) -> None:
    text = "# P\n\n" + citation(
        'Bone "x" <script>alert(1)</script> & more', journal='J "A" & <B>', date="2019"
    )
    built = build_pages({"index": text}, conf="suppress_warnings = ['sclero']")
    soup = BeautifulSoup(built.html(), "html.parser")
    [span] = soup.select("span.Z3988")
    pairs = dict(parse_qsl(span["title"]))
    assert pairs["rft.atitle"] == 'Bone "x" <script>alert(1)</script> & more'
    assert pairs["rft.jtitle"] == 'J "A" & <B>'
    assert soup.find_all("script", string=lambda s: s and "alert" in s) == []


def test_ris_parses_back_with_every_field() -> None:
    text = to_ris([Exported(FULL, VERIFIED)])
    [entry] = rispy.loads(text)
    assert entry["type_of_reference"] == "JOUR"
    assert entry["title"] == FULL.title
    # PubMed is where the record was found (database provider), never the publisher.
    assert "PB  - " not in text and "DP  - PubMed" in text
    assert "C2  - PMCID: PMC5999247" in text
    # Every author of the matched record, in its order.
    assert entry["authors"] == ["Duerksen, D", "Pinto-Sanchez, MI", "Anca, A"]
    assert entry["notes"] == [
        "Patients with CD require calcium.",
        "Corrected: https://pubmed.ncbi.nlm.nih.gov/30000001/",
        "Authors from the PubMed record, checked 2026-11-20.",
    ]
    assert entry["journal_name"] == "Can Fam Physician"
    assert (entry["volume"], entry["number"], entry["start_page"], entry["end_page"]) == (
        "64", "6", "433", "438",
    )  # fmt: skip
    assert entry["doi"] == "10.1000/x.1"
    assert entry["date"] == "2018/06/01/"
    assert entry["urls"] == ["https://pubmed.ncbi.nlm.nih.gov/29898932/"]


def test_ris_newline_cannot_inject_a_tag() -> None:
    entries = rispy.loads(to_ris([Exported(HOSTILE), Exported(FULL)]))
    assert len(entries) == 2
    assert entries[0]["title"] == 'Bone "x" <script>alert(1)</script> & {evil} 100% TY - JOUR'


def test_bibtex_parses_back_and_escapes() -> None:
    library = bibtexparser.parse_string(to_bibtex([Exported(FULL), Exported(HOSTILE)]))
    assert library.failed_blocks == []
    full, hostile = library.entries
    assert full.key == "pmid-29898932"
    with_authors = bibtexparser.parse_string(to_bibtex([Exported(FULL, VERIFIED)])).entries[0]
    assert with_authors["author"] == "Duerksen, D and Pinto-Sanchez, MI and Anca, A"
    # Acronyms keep their capitals in styles that re-case titles.
    assert full["title"] == "Management of bone health in patients with celiac disease {(CD)}"
    assert full["journal"] == "Can Fam Physician"
    assert full["pages"] == "433--438"
    assert full["doi"] == "10.1000/x.1"
    # Braces are escaped, so the hostile summary stays inside its own field.
    assert hostile["note"] == r"\} injected = \{x"
    assert set(hostile.fields_dict) == {"title", "journal", "year", "note"}


def test_csl_json_items() -> None:
    [item] = to_csl([Exported(FULL, VERIFIED)])
    assert item["type"] == "article-journal"
    assert item["source"] == "PubMed" and "publisher" not in item
    assert item["note"] == (
        "Patients with CD require calcium. Corrected: https://pubmed.ncbi.nlm.nih.gov/30000001/ "
        "Authors from the PubMed record, checked 2026-11-20."
    )
    assert item["author"] == [
        {"family": "Duerksen", "given": "D"},
        {"family": "Pinto-Sanchez", "given": "MI"},
        {"family": "Anca", "given": "A"},
    ]
    assert item["issued"] == {"date-parts": [[2018, 6, 1]]}
    assert item["PMID"] == "29898932"
    assert item["container-title"] == "Can Fam Physician"


SITE_INDEX = "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\nbib\nrecent\n```\n"


def _two_topics() -> dict[str, str]:
    shared = dict(journal="Chest", date="2019-12", pmid="31000001")
    return {
        "index": SITE_INDEX,
        "bib": "# Bibliography\n\n```{sclero-bibliography}\n```\n",
        "recent": "# Recent\n\n```{sclero-recent}\n:count: 2\n```\n",
        "topics/a": "---\nreviewed: 2026-01-01\nreviewed-by: Jane Doe (rheumatologist)\n---\n\n"
        "# Alpha\n\n## Research\n\n"
        + citation("Older study", journal="Chest", date="2015", pmid="20000001")
        + "\n"
        + citation("Shared study", **shared)
        + "\n"
        + citation("Middle study", journal="Chest", date="2017-03", pmid="25000001"),
        "topics/b": "# Beta\n\n" + citation("Shared study", **shared),
    }


def test_source_order_review_line_and_downloads(build_pages: BuildPages) -> None:
    built = build_pages(_two_topics())
    assert built.warnings == []
    soup = BeautifulSoup(built.html("topics/a"), "html.parser")
    titles = [
        t.get_text(" ", strip=True).split(" .")[0] for t in soup.select(".sclero-citation-title")
    ]
    # The editor's order: a topic page never re-sorts its entries.
    assert titles == ["Older study", "Shared study", "Middle study"]
    assert soup.select_one(".sclero-page-info").get_text() == (
        "Page last reviewed: 2026-01-01 by Jane Doe (rheumatologist) · Next review due: "
        "2029-01-01 · Newest citation: 2019 Dec"
    )
    assert soup.select(".sclero-stale") == []
    links = {a.get_text(): (a["href"], a["download"]) for a in soup.select("a.sclero-download")}
    # The download attribute makes the browser save the file instead of showing it.
    assert links == {
        "RIS": ("../citations/a.ris", "a.ris"),
        "BibTeX": ("../citations/a.bib", "a.bib"),
        "CSL-JSON": ("../citations/a.json", "a.json"),
    }
    out = Path(built.app.outdir)
    assert len(rispy.loads((out / "citations/a.ris").read_text())) == 3
    assert len(json.loads((out / "citations/b.json").read_text())) == 1
    # Three files per topic page, none per entry: each entry's RIS and BibTeX links name the
    # page's file and the record in it (its RIS ID, its BibTeX key), in page order.
    assert sorted(p.name for p in (out / "citations").iterdir()) == [
        "a.bib", "a.json", "a.ris", "b.bib", "b.json", "b.ris"
    ]  # fmt: skip
    assert not (out / "cite").exists()
    anchors = [e["id"] for e in soup.select(".sclero-citation")]
    for extension, ids in (
        ("ris", [r["id"] for r in rispy.loads((out / "citations/a.ris").read_text())]),
        ("bib", [e.key for e in bibtexparser.parse_string(
            (out / "citations/a.bib").read_text()).entries]),
    ):  # fmt: skip
        links = soup.select(f".sclero-cite a.sclero-download[href$='.{extension}']")
        assert [a["data-entry"] for a in links] == ids == anchors
        assert {a["href"] for a in links} == {f"../citations/a.{extension}"}


def test_citation_files_rewritten_only_for_pages_read_again(
    build_pages: BuildPages, tmp_path: Path
) -> None:
    """An incremental build rewrites the edited page's files and any that went missing."""
    src = tmp_path / "site"
    first = build_pages(_two_topics(), srcdir=src)
    files = Path(first.app.outdir) / "citations"
    stamps = {path.name: path.stat().st_mtime_ns for path in files.iterdir()}
    # A file per entry, as an earlier version wrote them: removed, no page links it now.
    stale = Path(first.app.outdir) / "cite" / "a" / "pmid-1.ris"
    stale.parent.mkdir(parents=True)
    stale.write_text("TY  - JOUR\nER  - \n")
    newer = "# Beta\n\n" + citation("Brand new study", journal="Chest", date="2026-01")
    build_pages({"topics/b": newer}, srcdir=src)
    assert not stale.exists()
    assert [item["title"] for item in json.loads((files / "b.json").read_text())] == [
        "Brand new study"
    ]
    assert (files / "a.ris").stat().st_mtime_ns == stamps["a.ris"]  # page a was not read
    assert (files / "b.ris").stat().st_mtime_ns != stamps["b.ris"]
    (files / "a.bib").unlink()
    build_pages({}, srcdir=src)
    assert (files / "a.bib").exists()


def test_unreviewed_and_stale_pages_get_a_notice(build_pages: BuildPages) -> None:
    pages = _two_topics()
    built = build_pages(pages, conf="sclero_review_max_days = 30")
    stale = BeautifulSoup(built.html("topics/a"), "html.parser").select_one(".sclero-stale")
    assert stale is not None and "not been reviewed since 2026-01-01" in stale.get_text()
    never = BeautifulSoup(built.html("topics/b"), "html.parser").select_one(".sclero-stale")
    assert never is not None and "Not yet medically reviewed" in never.get_text()


def test_bad_reviewed_date_is_located(build_pages: BuildPages) -> None:
    pages = _two_topics()
    # Quoted: unquoted, YAML itself rejects the impossible date (myst.topmatter).
    pages["topics/b"] = "---\nreviewed: '2026-02-30'\n---\n\n# Beta\n"
    pages["topics/c"] = "---\nreviewed: 2026-02-01\nreviewed-by: Jane Doe\n---\n\n# Gamma\n"
    built = build_pages(pages)
    assert built.warnings == [
        "topics/b.md:1: WARNING: front matter reviewed: '2026-02-30' is not a YYYY-MM-DD "
        "date [sclero.reviewed]",
        # A review names who reviewed, and in what role.
        "topics/c.md:1: WARNING: front matter reviewed-by: 'Jane Doe' needs the reviewer's "
        "role: 'Jane Doe (rheumatologist)' [sclero.reviewed]",
    ]


def test_bibliography_lists_each_work_once_with_its_topics(build_pages: BuildPages) -> None:
    built = build_pages(_two_topics())
    soup = BeautifulSoup(built.html("bib"), "html.parser")
    items = soup.select("ul.sclero-bibliography > li")
    assert [i.strong.get_text() for i in items] == ["Middle study", "Older study", "Shared study"]
    shared_links = [(a.get_text(), a["href"]) for a in items[2].select("a")]
    assert shared_links == [
        ("Alpha", "topics/a.html#pmid-31000001"),
        ("Beta", "topics/b.html#pmid-31000001"),
    ]


def test_recent_lists_newest_by_publication_date(build_pages: BuildPages) -> None:
    built = build_pages(_two_topics())
    soup = BeautifulSoup(built.html("recent"), "html.parser")
    items = [i.strong.get_text() for i in soup.select("ul.sclero-recent > li")]
    assert items == ["Shared study", "Shared study"]


def test_listings_follow_an_edit_of_another_page(build_pages: BuildPages, tmp_path: Path) -> None:
    src = tmp_path / "site"
    pages = _two_topics()
    build_pages(pages, srcdir=src)
    newer = "# Beta\n\n" + citation(
        "Brand new study", journal="Chest", date="2026-01", pmid="41000001"
    )
    again = build_pages({"topics/b": newer}, srcdir=src)
    soup = BeautifulSoup(again.html("recent"), "html.parser")
    assert [i.strong.get_text() for i in soup.select("ul.sclero-recent > li")] == [
        "Brand new study",
        "Shared study",
    ]


def test_every_page_links_the_disclaimer(build_pages: BuildPages) -> None:
    pages = _two_topics()
    pages["disclaimer"] = "# Disclaimer\n\nNot advice.\n"
    pages["index"] += "\n```{toctree}\ndisclaimer\n```\n"
    built = build_pages(pages)
    for docname in ("index", "topics/a", "bib"):
        link = BeautifulSoup(built.html(docname), "html.parser").select_one(
            ".sclero-disclaimer-link a"
        )
        assert link is not None and link["href"].endswith("disclaimer.html")
    assert "sclero-disclaimer-link" not in built.html("disclaimer")


def test_authors_as_nlm_lists_them_and_every_name_in_the_exports() -> None:
    from sclero.model.registry_record import MAX_AUTHORS, Record
    from sclero.verify.entries import _kept_names

    eight = tuple(f"Author{n} A" for n in range(8))
    record = Record("PubMed", "1", "A title", "Chest", authors=eight)
    assert record.nlm_authors() == ", ".join(eight[:6]) + ", et al."
    assert Record("PubMed", "1", "T", "J", authors=eight[:2]).nlm_authors() == (
        "Author0 A, Author1 A"
    )
    # A consortium's thousands: the first MAX_AUTHORS, then "et al." in every export.
    many = tuple(f"Member{n} B" for n in range(MAX_AUTHORS + 50))
    kept = _kept_names(many)
    verification = Verification("verified", "PubMed", "2026-11-20", "", "PubMed", (), kept)
    exported = Exported(FULL, verification)
    assert len(exported.authors) == MAX_AUTHORS and exported.more_authors
    assert to_csl([exported])[0]["author"][-1] == {"literal": "et al."}
    bib = bibtexparser.parse_string(to_bibtex([exported])).entries[0]
    assert bib["author"].endswith(" and others")
    assert len(rispy.loads(to_ris([exported]))[0]["authors"]) == MAX_AUTHORS


@pytest.mark.parametrize(
    ("pubtypes", "crossref", "kind"),
    [
        (["Journal Article", "Review", "Systematic Review"], "", "systematic_review"),
        (["Journal Article", "Meta-Analysis", "Systematic Review"], "", "systematic_review"),
        (["Randomized Controlled Trial", "Journal Article"], "", "randomised_trial"),
        (["Case Reports"], "", "case_report"),
        (["Journal Article"], "posted-content", None),  # PubMed's indexing wins, says none
        ([], "posted-content", "preprint"),
        ([], "journal-article", None),
        (["Journal Article"], "", None),  # never guessed
    ],
)
def test_the_kind_of_study_is_read_never_guessed(
    pubtypes: list[str], crossref: str, kind: str | None
) -> None:
    from sclero.model.evidence import study_kind

    found = study_kind(pubtypes, crossref)
    assert (found.value if found else None) == kind


def test_a_review_cycle_of_three_years_at_most(build_pages: BuildPages) -> None:
    pages = _two_topics()
    review = "reviewed: 2022-01-01\nreviewed-by: Jane Doe (rheumatologist)\n"
    # Overdue: three years after the review, before today (2026-11-24).
    pages["topics/b"] = f"---\n{review}---\n\n# Beta\n\n" + citation(journal="Chest", date="2019")
    # A next review later than three years is refused at the front matter.
    pages["topics/c"] = f"---\n{review}next-review: 2026-06-01\n---\n\n# Gamma\n"
    built = build_pages(pages)
    assert built.warnings == [
        "topics/c.md:1: WARNING: front matter next-review: 2026-06-01 is more than 3 years "
        "after reviewed: 2022-01-01; at most 2025-01-01 [sclero.reviewed]"
    ]
    notes = built.notes("review_due")
    assert notes == [
        "topics/b.md:1: note: the page's review was due on 2025-01-01: review it, then update "
        "reviewed: and reviewed-by: [sclero.review_due]",
        "topics/c.md:1: note: the page's review was due on 2025-01-01: review it, then update "
        "reviewed: and reviewed-by: [sclero.review_due]",
    ]
    soup = BeautifulSoup(built.html("topics/b"), "html.parser")
    assert "Next review due: 2025-01-01" in soup.select_one(".sclero-page-info").get_text()
    overdue = soup.select_one(".sclero-stale")
    assert overdue is not None and "Review overdue" in overdue.get_text()


def test_disclosures_come_from_conf_py_and_the_front_matter(build_pages: BuildPages) -> None:
    pages = _two_topics()
    pages["topics/b"] = "---\nauthor: Jane Doe (rheumatologist)\n---\n\n# Beta\n"
    conf = (
        'sclero_publisher = "International Scleroderma Network"\n'
        'sclero_funding = ""\nsclero_advertising = ""\n'
        'sclero_repository = "https://github.com/example/sclero"\n'
    )
    built = build_pages(pages, conf=conf)
    about = BeautifulSoup(built.html("topics/b"), "html.parser").select_one(".sclero-about-page")
    assert about is not None
    text = about.get_text(" ", strip=True)
    assert "Author: Jane Doe (rheumatologist)" in text
    assert "Published by: International Scleroderma Network" in text
    assert "Funding: not stated" in text
    link = about.select_one("a[href^='https://github.com/example/sclero/issues/new?']")
    assert link is not None and link.get_text() == "Report a problem with this page"
    assert "docs%2Ftopics%2Fb.md" in link["href"]
    unsigned = BeautifulSoup(built.html("topics/a"), "html.parser").select_one(".sclero-about-page")
    assert unsigned is not None and "Author: not stated" in unsigned.get_text(" ", strip=True)
    notes = built.notes("disclosure")
    assert notes == [
        "conf.py:: note: sclero_advertising is not set in conf.py: every topic page says "
        '"Advertising: not stated" [sclero.disclosure]',
        'conf.py:: note: sclero_funding is not set in conf.py: every topic page says "Funding: '
        'not stated" [sclero.disclosure]',
    ]


def test_the_cite_control_formats_as_citeproc_does_with_macros_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Keeping each style macro once found changes no text: the same items, formatted with
    citeproc-py's own look-up and with ours, in every offered style."""
    from citeproc import model
    from sclero.readers import cite

    items = [cite.cite_item(Exported(FULL, VERIFIED)), cite.cite_item(Exported(FULL))]
    items[1]["id"] = "second"
    ours = cite.format_items(items)
    kept = model.CitationStylesElement.get_macro
    original = kept.__wrapped__  # ours is in place
    with monkeypatch.context() as patch:
        patch.setattr(model.CitationStylesElement, "get_macro", original)
        patch.setattr(cite, "_macros_looked_up_once", lambda: None)
        patch.setattr(cite, "_PARSED", {})  # parsed again, looked up citeproc-py's way
        theirs = cite.format_items(items)
        assert model.CitationStylesElement.get_macro is original
    assert model.CitationStylesElement.get_macro is kept
    assert ours == theirs
    assert set(ours["second"]) == {"ama", "vancouver", "apa"}
    assert all(FULL.title[:30] in text for text in ours["second"].values())
