"""Verified citations: each entry against the record its identifier names (local registries)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from sclero.model.registry_record import NoticeKind, from_crossref, from_esummary, nlm_date
from sclero.model.targets import TRANSIENT, Outcome, Target, TargetKind
from sclero.model.titles import differs_by_parentheticals, titles_match
from sclero.net.fetch import Fetcher, FetchSettings
from sclero.net.gates import HostProfile
from sclero.verify.registries import (
    CROSSREF_BATCH,
    ECITMATCH_BATCH,
    Endpoints,
    Wanted,
    ecitmatch,
    fetch_crossref,
)

from . import linkserver
from .conftest import REPO, BuildPages, citation
from .linkserver import HOSTS, Log, serve
from .registry_data import PUBMED, crossref_records

CELIAC_TITLE = (
    "Management of bone health in patients with celiac disease (CD): Practical guide for clinicians"
)
WAKEFIELD_TITLE = (
    "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental "
    "disorder in children"
)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, Log]]:
    with serve() as running:
        yield running


def registries(port: int, tmp_path: Path, mode: str = "budget", **extra: object) -> str:
    """conf.py lines: registries on 127.0.0.1, the cache in ``tmp_path``, nothing suppressed."""
    base = f"http://127.0.0.1:{port}/"
    values: dict[str, object] = {
        "sclero_linkcheck_mode": mode,
        "sclero_linkcheck_allowed_hosts": list(HOSTS),
        "sclero_linkcheck_profiles": {h: (50, 4) for h in HOSTS},
        "sclero_linkcheck_cache": str(tmp_path / "cache" / "links.sqlite3"),
        "sclero_linkcheck_timeout": 0.5,
        "sclero_eutils": base,
        "sclero_crossref": base,
        "sclero_doi_api": base + "api/handles/",
        "suppress_warnings": ["sclero.link_unchecked"],
        **extra,
    }
    return "\n" + "\n".join(f"{k} = {v!r}" for k, v in values.items()) + "\n"


def topic(slug: str, body: str) -> dict[str, str]:
    """A site of one topic page (and the home page that lists it)."""
    index = "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n"
    return {"index": index, f"topics/{slug}": f"# {slug.title()}\n\n{body}"}


def wakefield(**fields: str) -> str:
    values = {
        "journal": "Lancet",
        "date": "1998-02-28",
        "volume": "351",
        "issue": "9103",
        "pages": "637-641",
        "pmid": "9500320",
        **fields,
    }
    values = {k: v for k, v in values.items() if v}
    return citation(
        WAKEFIELD_TITLE, "The study reported a link that was later withdrawn.", **values
    )


def celiac(**fields: str) -> str:
    values = {
        "journal": "Can Fam Physician",
        "date": "2018-06",
        "volume": "64",
        "issue": "6",
        "pages": "433-438",
        "pmid": "29898932",
        **fields,
    }
    values = {k: v for k, v in values.items() if v}
    return citation(CELIAC_TITLE, "Patients need calcium and vitamin D.", **values)


# -- the comparison rules on their own ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "recorded", "same"),
    [
        # Case, punctuation, spacing, a final stop and a leading "The" never count.
        (
            "The Skeletal Effects of Inhaled Glucocorticoids",
            "Skeletal effects of inhaled glucocorticoids.",
            True,
        ),
        # Markers registries add are not part of the title.
        ("A study of bone density", "[RETRACTED] A study of bone density.", True),
        ("A study of bone density", "RETRACTED ARTICLE: A study of bone density", True),
        ("Pre–Post Controlled Study", "Pre-post controlled study", True),
        ("Étude de la densité osseuse", "Etude de la densite osseuse", True),
        # Three edits are allowed, four are not (Citation bot's rule).
        ("Bone density in men", "Bone density in mea", True),
        ("Bone density in women", "Bone density in men", True),
        ("Bone density in children", "Bone density in adults", False),
        # Over 254 characters: 98% alike.
        ("x" * 300, "x" * 297 + "yyy", True),
        ("x" * 300, "x" * 290 + "y" * 10, False),
    ],
)
def test_title_rule(written: str, recorded: str, same: bool) -> None:
    assert titles_match(written, recorded) is same


def test_inserted_abbreviations_are_told_apart_from_another_paper() -> None:
    assert differs_by_parentheticals(
        "Osteoporosis in chronic obstructive pulmonary disease (COPD): a review",
        "Osteoporosis in chronic obstructive pulmonary disease: a review.",
    )
    assert not differs_by_parentheticals(CELIAC_TITLE, WAKEFIELD_TITLE)


def test_records_read_from_the_registries_formats() -> None:
    record = from_esummary(PUBMED["9500320"], "PubMed")
    assert (record.journal, record.date, record.volume, record.pages) == (
        "Lancet",
        "1998-02-28",
        "351",
        "637-41",
    )
    assert record.retracted and record.doi == "10.1016/s0140-6736(97)11096-0"
    assert [(n.kind, n.pmid, n.url) for n in record.notices] == [
        (NoticeKind.retraction, "20137807", "https://pubmed.ncbi.nlm.nih.gov/20137807/")
    ]
    assert record.first_author() == "Wakefield AJ et al."
    plos = from_crossref(crossref_records()["10.1371/journal.pone.0033693"])
    assert (plos.journal, plos.date, plos.epub_date, plos.pages) == (
        "PLoS ONE",
        "2012-03-21",
        "2012-03-21",
        "e33693",
    )
    assert [(n.kind, n.doi) for n in plos.notices] == [
        (NoticeKind.correction, "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda")
    ]
    assert plos.authors == ("Sadasivan S", "Pond BB")
    assert [nlm_date(d) for d in ("2018 Jun", "2015 Mar 1", "2019 Jul-Aug", "2016", "")] == [
        "2018-06",
        "2015-03-01",
        "2019",  # a span of two months names no one month: only the year is certain
        "2016",
        "",
    ]


# -- whole builds against the local registries ----------------------------------------------


def test_a_record_that_agrees_verifies_the_entry(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    port, _ = server
    built = build_pages(
        topic("celiac", celiac(pmcid="PMC5999247")),
        conf=registries(port, tmp_path, sclero_linkcheck_now=1_795_000_000.0),
    )
    assert built.warnings == []
    entry = BeautifulSoup(built.html("topics/celiac"), "html.parser").select_one(
        ".sclero-citation-verification"
    )
    assert entry is not None
    # 1 795 000 000 s after the epoch is 2026-11-18 (UTC).
    assert entry.get_text(" ", strip=True) == (
        "Duerksen D, Pinto-Sanchez MI, Anca A (authors from the PubMed record) · Verified against "
        "PubMed, 2026-11-18"
    )


def test_pmid_of_another_paper_fails_at_its_line_with_both_titles(
    server: tuple[int, Log], tmp_path: Path
) -> None:
    """The osteoporosis page with one PMID swapped for another paper's fails `make check`."""
    port, _ = server
    site = tmp_path / "site"
    shutil.copytree(REPO / "docs", site / "docs")
    conf = (REPO / "conf.py").read_text(encoding="utf-8") + registries(port, tmp_path)
    (site / "conf.py").write_text(conf, encoding="utf-8")
    page = site / "docs" / "topics" / "osteoporosis.md"
    text = page.read_text(encoding="utf-8")
    assert text.count(":pmid: 29898932") == 1
    page.write_text(text.replace(":pmid: 29898932", ":pmid: 9500320"), encoding="utf-8")
    line = text.splitlines().index(":pmid: 29898932") + 1
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-W",
            "-n",
            "-q",
            "-c",
            str(site),
            str(site / "docs"),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={
            "SCLERO_LINKCHECK": "budget",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(REPO / "extensions"),
        },
    )
    assert result.returncode != 0
    expected = (
        f'{page}:{line}: WARNING: PMID 9500320 is "Ileal-lymphoid-nodular hyperplasia, '
        'non-specific colitis, and pervasive developmental disorder in children." (PubMed), '
        "not this entry's title \"Management of bone health in patients with celiac disease "
        '(CD): Practical guide for clinicians" [sclero.record_title]'
    )
    assert expected in result.stderr.splitlines()
    # The PMC record of the entry's PMCID names the right PMID: a verified record says so.
    assert (
        f"{page}:{line + 1}: WARNING: PMCID PMC5999247's record (PMC) lists PMID 29898932, not "
        "this entry's 9500320: the identifiers name different records [sclero.identifier_conflict]"
        not in result.stderr
    )
    assert "[sclero.identifier_conflict]" in result.stderr
    # The other paper's retraction is not this entry's.
    assert "[sclero.retracted]" not in result.stderr


def test_retraction_shows_a_banner_and_fails_the_strict_build(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    port, log = server
    before = len(log.paths())
    built = build_pages(
        topic("mmr", wakefield(doi="10.1016/S0140-6736(97)11096-0")),
        conf=registries(port, tmp_path),
    )
    assert built.warnings == [
        "topics/mmr.md:3: WARNING: this article was retracted according to PubMed (Retraction "
        "in: https://pubmed.ncbi.nlm.nih.gov/20137807/) [sclero.retracted]"
    ]
    soup = BeautifulSoup(built.html("topics/mmr"), "html.parser")
    banner = soup.select_one(".sclero-citation .sclero-notice-retraction")
    assert banner is not None and banner.get_text(" ", strip=True).startswith("Retracted.")
    assert banner.a is not None and banner.a["href"] == "https://pubmed.ncbi.nlm.nih.gov/20137807/"
    # The DOI is in the PubMed record: Crossref is not asked.
    assert not [p for p in log.paths()[before:] if p.startswith("/works/")]
    ris = (Path(built.app.outdir) / "citations" / "mmr.ris").read_text()
    assert "N1  - Retracted: https://pubmed.ncbi.nlm.nih.gov/20137807/" in ris


def test_crossref_retraction_listed_twice_is_one_banner(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """A DOI without a PMID is verified at Crossref; Retraction Watch and the publisher both
    list the retraction, which readers see once.
    """
    port, _ = server
    page = wakefield(pmid="", doi="10.1016/S0140-6736(97)11096-0")
    built = build_pages(topic("mmr", page), conf=registries(port, tmp_path))
    assert built.warnings == [
        "topics/mmr.md:3: WARNING: this article was retracted according to Retraction Watch "
        "(Retraction: https://doi.org/10.1016/s0140-6736(10)60175-4) [sclero.retracted]"
    ]
    soup = BeautifulSoup(built.html("topics/mmr"), "html.parser")
    assert len(soup.select(".sclero-notice-retraction")) == 1


def test_corrections_and_concerns(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """A correction is a note, an expression of concern a warning; both show a banner."""
    port, _ = server
    corrected = build_pages(
        topic("celiac", celiac(pmid="59898931")),
        conf=registries(port, tmp_path / "a"),
        srcdir=tmp_path / "a" / "src",
    )
    assert corrected.warnings == []
    assert (
        "topics/celiac.md:3: note: this article has a published correction according to PubMed "
        "(Erratum in: https://pubmed.ncbi.nlm.nih.gov/59898940/) [sclero.corrected]"
    ) in corrected.status
    concern = build_pages(
        topic("celiac", celiac(pmid="59898932")),
        conf=registries(port, tmp_path / "b"),
        srcdir=tmp_path / "b" / "src",
    )
    assert concern.warnings == [
        "topics/celiac.md:3: WARNING: this article is the subject of an expression of concern "
        "according to PubMed (Expression of concern in: https://pubmed.ncbi.nlm.nih.gov/59898941/) "
        "[sclero.concern]"
    ]
    for built, kind, notice in (
        (corrected, "correction", "59898940"),
        (concern, "concern", "59898941"),
    ):
        soup = BeautifulSoup(built.html("topics/celiac"), "html.parser")
        banner = soup.select_one(f".sclero-notice-{kind}")
        assert banner is not None and banner.a is not None
        assert banner.a["href"] == f"https://pubmed.ncbi.nlm.nih.gov/{notice}/"


def test_details_against_the_record(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """Journal, year (one year apart is a note), volume, issue, first page; both values shown."""
    port, _ = server
    page = celiac(journal="Can J Surg", date="2019-01", volume="65", pages="434-438")
    built = build_pages(topic("celiac", page), conf=registries(port, tmp_path))
    assert built.warnings == [
        "topics/celiac.md:4: WARNING: the PubMed record 29898932 gives journal "
        "'Can Fam Physician', not 'Can J Surg' [sclero.record_journal]",
        "topics/celiac.md:6: WARNING: the PubMed record 29898932 gives volume '64', not '65' "
        "[sclero.record_locator]",
        "topics/celiac.md:8: WARNING: the PubMed record 29898932 gives first page '433', not "
        "'434' [sclero.record_locator]",
    ]
    assert (
        "topics/celiac.md:5: note: the PubMed record 29898932 gives year 2018, not 2019 "
        "[sclero.record_year_gap]" in built.status
    )


def test_doi_of_another_paper_and_identifiers_that_disagree(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    port, _ = server
    other = celiac(pmid="", doi="10.1371/journal.pone.0033693")
    built = build_pages(topic("celiac", other), conf=registries(port, tmp_path))
    assert built.warnings == [
        'topics/celiac.md:9: WARNING: DOI 10.1371/journal.pone.0033693 is "Methylphenidate '
        "Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the Basal Ganglia "
        'of Mice" (Crossref), not this entry\'s title "Management of bone health in patients with '
        'celiac disease (CD): Practical guide for clinicians" [sclero.record_title]'
    ]
    conflict = wakefield(
        doi="10.1371/journal.pone.0033693", waive="retracted: the example of a retraction"
    )
    built = build_pages(topic("mmr", conflict), conf=registries(port, tmp_path / "2"))
    assert (
        "topics/mmr.md:10: WARNING: PMID 9500320's record (PubMed) lists DOI "
        "10.1016/s0140-6736(97)11096-0, not this entry's 10.1371/journal.pone.0033693: the "
        "identifiers name different records [sclero.identifier_conflict]"
    ) in built.warnings


def test_an_identifier_that_names_nothing_is_not_called_another_paper(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """A DOI no registry knows, beside a PMID whose record lists the paper's DOI."""
    port, _ = server
    wrong = wakefield(
        doi="10.1016/s0140-6736(97)11096-0.missing", waive="retracted: the example of a retraction"
    )
    built = build_pages(topic("mmr", wrong), conf=registries(port, tmp_path))
    conflicts = [w for w in built.warnings if "[sclero.identifier_conflict]" in w]
    assert conflicts == [
        "topics/mmr.md:10: WARNING: DOI 10.1016/s0140-6736(97)11096-0.missing does not exist; "
        "PMID 9500320's record (PubMed) lists DOI 10.1016/s0140-6736(97)11096-0 "
        "[sclero.identifier_conflict]"
    ]


def test_every_registry_unreachable_fails_nothing(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """DNS failures, 503 and 429 make entries "not verified"; no verdict is cached."""
    port, _ = server
    page = celiac() + "\n" + wakefield(pmid="", doi="10.1000/x")
    page += "\nSee [a site](http://no-such-host.invalid/page).\n"
    outage = registries(
        port,
        tmp_path,
        sclero_eutils="http://registry.invalid/",
        sclero_crossref=f"http://127.0.0.1:{port}/down/",
        sclero_doi_api=f"http://127.0.0.1:{port}/busy/",
    )
    built = build_pages(topic("celiac", page), conf=outage)
    assert built.warnings == []
    notes = [line for line in built.status.splitlines() if "note:" in line]
    assert notes == [
        "topics/celiac.md:9: note: PMID 29898932 not verified: E-utilities: DNS: Name or service "
        "not known [sclero.unverified]",
        "topics/celiac.md:20: note: DOI 10.1000/x not verified: Crossref answered 503 "
        "[sclero.unverified]",
        "topics/celiac.md:25: note: http://no-such-host.invalid/page not verified: unreachable "
        "(DNS: Name or service not known); a network or server fault, never counted as broken "
        "[sclero.link_transient]",
    ]
    soup = BeautifulSoup(built.html("topics/celiac"), "html.parser")
    assert [p.get_text(strip=True) for p in soup.select(".sclero-citation-verification")] == [
        "Identifier not yet verified",
        "Identifier not yet verified",
    ]
    # An offline build afterwards reads the cache: still nothing against the page.
    again = build_pages(
        {}, conf=outage.replace("'budget'", "'offline'"), srcdir=Path(built.app.srcdir)
    )
    assert again.warnings == []


def test_second_build_asks_nothing(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    port, log = server
    pages = topic("celiac", celiac(pmcid="PMC5999247"))
    build_pages(pages, conf=registries(port, tmp_path), srcdir=tmp_path / "src")
    before = len(log.paths())
    warm = build_pages(pages, conf=registries(port, tmp_path), srcdir=tmp_path / "src")
    assert len(log.paths()) == before
    report = json.loads((Path(warm.app.outdir) / "link-report.json").read_text())
    assert report["requests"] == 0


def test_pmcid_alone_reaches_the_pubmed_record(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    port, _ = server
    page = celiac(pmid="", pmcid="PMC5999247")
    built = build_pages(topic("celiac", page), conf=registries(port, tmp_path))
    assert built.warnings == []
    soup = BeautifulSoup(built.html("topics/celiac"), "html.parser")
    line = soup.select_one(".sclero-citation-verification")
    assert (
        line is not None
        and "Duerksen D, Pinto-Sanchez MI, Anca A (authors from the PubMed record)" in line.text
    )


def test_candidate_pmid_for_an_article_without_identifiers(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """ECitMatch proposes, the record's title confirms; never written into the page."""
    port, log = server
    source = celiac(pmid="") + "\n" + celiac(pmid="", volume="9", pages="1-2")
    source = source.replace(CELIAC_TITLE, "Bone health in celiac disease", 1)
    src = tmp_path / "src"
    # make check: ECitMatch only; the title search is owed, and said to be (discovery).
    checked = build_pages(topic("celiac", source), conf=registries(port, tmp_path), srcdir=src)
    assert checked.notes("id_candidate") == [
        "note: 1 journal article without an identifier not searched for a candidate PMID "
        "(make suggest-ids and the weekly link check search) [sclero.id_candidate]"
    ]
    asked = len(log.paths())
    again = build_pages(topic("celiac", source), conf=registries(port, tmp_path), srcdir=src)
    assert len(log.paths()) == asked  # warm: ECitMatch's "not found" is kept, not asked again
    assert "not searched" in again.status
    full = registries(port, tmp_path, mode="full")
    built = build_pages(topic("celiac", source), conf=full, srcdir=src)
    assert any("esearch.fcgi" in p for p in log.paths()[asked:])
    assert "not searched" not in built.status
    candidates = built.notes("id_candidate")
    # The first entry's title is not the record's: ECitMatch's answer is not enough.
    assert candidates == [
        'topics/celiac.md:13: note: PubMed record 29898932 ("Management of bone health in '
        'patients with celiac disease: Practical guide for clinicians.", found by title '
        "search) agrees with this entry's title, journal and year: a candidate PMID, please "
        "confirm on its PubMed page before adding :pmid: [sclero.id_candidate]"
    ]
    assert ":pmid:" not in (Path(built.app.srcdir) / "topics" / "celiac.md").read_text()


def test_offline_build_says_which_articles_it_did_not_search(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """Offline, the candidate search is skipped and said in one line, until a search has run."""
    port, log = server
    pages = topic("celiac", celiac(pmid="") + "\n" + celiac(pmid="", volume="9", pages="1-2"))
    line = (
        "note: 2 journal articles without an identifier not searched for a candidate PMID "
        "(make suggest-ids and the weekly link check search) [sclero.id_candidate]"
    )
    src, before = tmp_path / "src", len(log.paths())
    offline = build_pages(pages, conf=registries(port, tmp_path, mode="offline"), srcdir=src)
    assert line in offline.status.splitlines()
    assert len(log.paths()) == before  # offline: nothing asked
    build_pages(pages, conf=registries(port, tmp_path, mode="full"), srcdir=src)  # searches
    again = build_pages(pages, conf=registries(port, tmp_path, mode="offline"), srcdir=src)
    assert "not searched" not in again.status
    report = json.loads((Path(again.app.outdir) / "citation-report.json").read_text())
    assert report["not_checked"]["searches"] == 0


def test_an_inserted_abbreviation_is_a_note_and_a_wrong_year_an_error(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """Legacy editors added abbreviations to titles: disclosed, not another paper."""
    port, _ = server
    edited = CELIAC_TITLE.replace("(CD)", "(gluten)")
    page = citation(
        edited,
        "Patients need calcium.",
        journal="Can Fam Physician",
        date="2015-06",
        volume="64",
        issue="6",
        pages="433-438",
        pmid="29898932",
    )
    built = build_pages(topic("celiac", page), conf=registries(port, tmp_path))
    assert built.warnings == [
        "topics/celiac.md:5: WARNING: the PubMed record 29898932 gives year 2018, not 2015 "
        "[sclero.record_year]"
    ]
    assert (
        'topics/celiac.md:3: note: PMID 29898932 is "Management of bone health in patients with '
        "celiac disease: Practical guide for clinicians.\" (PubMed); this entry's title adds an "
        "abbreviation in parentheses [sclero.record_title_edited]"
    ) in built.status


def test_the_kind_of_study_comes_from_the_record_and_links_its_explanation(
    build_pages: BuildPages,
    server: tuple[int, Log],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PubMed's publication types name the kind; an unverified entry shows none."""
    port, _ = server
    monkeypatch.setitem(
        PUBMED["29898932"], "pubtype", ["Journal Article", "Review", "Systematic Review"]
    )
    pages = topic("celiac", celiac() + "\n" + wakefield(pmid="", doi="10.1000/unknown"))
    pages["evidence"] = "# Kinds of evidence\n\n(systematic-review)=\n## Systematic review\n"
    built = build_pages(pages, conf=registries(port, tmp_path))
    soup = BeautifulSoup(built.html("topics/celiac"), "html.parser")
    verified, registered = soup.select(".sclero-citation-verification")
    study = verified.select_one("a.sclero-study")
    assert study is not None and study.get_text() == "Systematic review"
    assert study["href"] == "../evidence.html#systematic-review"
    # A DOI only registered at doi.org has no record to name a kind (nor to be "PubMed's").
    assert registered.select(".sclero-study") == []
    assert registered.get_text().startswith("Verified against doi.org, ")
    ris = [p.read_text(encoding="utf-8") for p in Path(built.app.outdir).rglob("*.ris")]
    assert sum("M3  - Systematic review" in text for text in ris) >= 1


@pytest.mark.parametrize(
    ("pubtypes", "line", "note"),
    [
        (
            ["Journal Article", "Systematic Review"],
            # The other entry's DOI is registered at doi.org, with no record: no kind known.
            "Evidence cited here: 1 systematic review, 1 article of unknown kind. The newest "
            "review is from 2018.",
            "topics/celiac.md:1: note: the newest review cited here is from 2018, more than 5 "
            "years ago; look for a newer one [sclero.review_age]",
        ),
        (
            ["Journal Article"],
            "Evidence cited here: 1 other study, 1 article of unknown kind. No review is cited "
            "here.",
            "topics/celiac.md:1: note: this page cites no review (guideline, systematic review, "
            "meta-analysis or review) among its verified articles; look for a recent one "
            "[sclero.review_age]",
        ),
    ],
)
def test_the_evidence_on_a_page_at_a_glance(
    build_pages: BuildPages,
    server: tuple[int, Log],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pubtypes: list[str],
    line: str,
    note: str,
) -> None:
    port, _ = server
    monkeypatch.setitem(PUBMED["29898932"], "pubtype", pubtypes)
    pages = topic("celiac", celiac() + "\n" + wakefield(pmid="", doi="10.1000/unknown"))
    built = build_pages(pages, conf=registries(port, tmp_path))
    soup = BeautifulSoup(built.html("topics/celiac"), "html.parser")
    shown = soup.select_one(".sclero-evidence")
    assert shown is not None and shown.get_text() == line
    assert note in built.status.splitlines()


@pytest.mark.parametrize(
    ("authors", "problem"),
    [
        ("Duerksen D, Pinto-Sanchez MI, Anca A", None),
        ("Duerksen D, et al.", None),
        ("duerksen d, pinto-sanchez mi, et al.", None),  # case is not a difference
        ("Duerksen D, Smith J", "names author 2 'Pinto-Sanchez MI', not 'Smith J'"),
        ("Duerksen D", "names 3 authors; end the list with 'et al.' or give them all"),
    ],
)
def test_authors_written_by_hand_are_compared_with_the_record(
    build_pages: BuildPages,
    server: tuple[int, Log],
    tmp_path: Path,
    authors: str,
    problem: str | None,
) -> None:
    port, _ = server
    pages = topic("celiac", celiac(authors=authors))
    built = build_pages(pages, conf=registries(port, tmp_path))
    line = pages["topics/celiac"].split("\n").index(f":authors: {authors}") + 1
    expected = [] if problem is None else [
        f"topics/celiac.md:{line}: WARNING: the PubMed record 29898932 {problem} "
        "[sclero.record_authors]"
    ]  # fmt: skip
    assert built.warnings == expected


# -- Crossref in batches ----------------------------------------------------------------------


def _crossref_fetcher() -> Fetcher:
    return Fetcher(FetchSettings(
        user_agent="test", retries=0, default_profile=HostProfile(rate=200.0, concurrency=4),
        allowed_hosts=frozenset(HOSTS), proxies={},
    ))  # fmt: skip


def _dois(n: int) -> list[Target]:
    return [Target.identifier(TargetKind.doi, f"10.1000/batch{i}") for i in range(n)]


@pytest.mark.parametrize(("count", "sizes"), [(1, [1]), (50, [50]), (51, [50, 1]),
                                              (120, [50, 50, 20])])  # fmt: skip
def test_crossref_is_asked_up_to_its_batch_of_dois_a_request_and_the_rest_split(
    server: tuple[int, Log], count: int, sizes: list[int]
) -> None:
    port, log = server
    base = f"http://127.0.0.1:{port}/"
    endpoints = Endpoints(crossref=base, doi_handles=base + "api/handles/")
    known = [Target.identifier(TargetKind.doi, d) for d in crossref_records()]
    dois = known + _dois(count - len(known)) if count >= len(known) else _dois(count)
    before = len(log.paths())
    fetched = fetch_crossref(_crossref_fetcher(), dois, endpoints, time.monotonic() + 30)
    asked = [urlsplit(p) for p in log.paths()[before:] if p.startswith("/works")]
    assert all(a.path == "/works" for a in asked)
    batches = [parse_qs(a.query)["filter"][0].split(",") for a in asked]
    assert sorted(len(b) for b in batches) == sorted(sizes)
    assert sorted(d.removeprefix("doi:") for b in batches for d in b) == sorted(
        t.value for t in dois
    )
    assert CROSSREF_BATCH == 50
    # Found in a list answer: the record; not in it: asked of doi.org (registered there).
    for target in dois:
        assert fetched.results[target].outcome is Outcome.working
        assert (target in fetched.records) is (target in known)
    if count >= len(known):
        assert fetched.records[known[0]].title.startswith(("Methylphenidate", "Ileal"))


def test_a_doi_with_a_comma_is_asked_alone(server: tuple[int, Log]) -> None:
    """A comma would end a filter's value: that DOI goes to /works/{doi}."""
    port, log = server
    base = f"http://127.0.0.1:{port}/"
    endpoints = Endpoints(crossref=base, doi_handles=base + "api/handles/")
    odd = Target.identifier(TargetKind.doi, "10.1000/a,b")
    before = len(log.paths())
    fetch_crossref(_crossref_fetcher(), [odd, *_dois(2)], endpoints, time.monotonic() + 30)
    asked = sorted(p for p in log.paths()[before:] if p.startswith("/works"))
    assert asked == ["/works/10.1000%2Fa%2Cb", "/works?filter=doi%3A10.1000%2Fbatch0%2Cdoi%3A"
                     "10.1000%2Fbatch1&rows=2"]  # fmt: skip


@pytest.mark.parametrize(
    ("limit", "interval", "rate"),
    [("2", "1s", 2.0), ("500", "1s", 200.0), ("30", "1m", 0.5), ("1", "60m", 0.2),
     ("abc", "1s", 200.0), ("0", "1s", 200.0), ("99999", "1s", 200.0), ("5", "1h", 200.0),
     ("", "", 200.0)],
)  # fmt: skip
def test_crossref_announced_rate_slows_the_host_never_speeds_it(
    server: tuple[int, Log], monkeypatch: pytest.MonkeyPatch, limit: str, interval: str,
    rate: float,
) -> None:  # fmt: skip
    """x-rate-limit-limit over x-rate-limit-interval, when below the profile; junk is ignored."""
    port, _ = server
    base = f"http://127.0.0.1:{port}/"
    monkeypatch.setitem(linkserver.RATE_ANNOUNCED, "limit", limit)
    monkeypatch.setitem(linkserver.RATE_ANNOUNCED, "interval", interval)
    fetcher = _crossref_fetcher()
    endpoints = Endpoints(crossref=base, doi_handles=base + "api/handles/")
    fetch_crossref(fetcher, _dois(1), endpoints, time.monotonic() + 30)
    assert fetcher.host("127.0.0.1").profile.rate == rate


def test_ecitmatch_asks_a_hundred_citations_a_request(server: tuple[int, Log]) -> None:
    """Its lines travel in the URL: 250 citations are three requests, each answer mapped back."""
    port, log = server
    endpoints = Endpoints(eutils=f"http://127.0.0.1:{port}/")

    def wanted(i: int, journal: str = "Chest", volume: str = "1", page: str = "1") -> Wanted:
        return Wanted(f"k{i}", f"Title {i}", journal, "2018", volume, page)

    items = [wanted(i) for i in range(249)] + [wanted(249, "Can Fam Physician", "64", "433")]
    before = len(log.paths())
    found = ecitmatch(_crossref_fetcher(), items, endpoints, time.monotonic() + 30)
    asked = [p for p in log.paths()[before:] if p.startswith("/ecitmatch.cgi")]
    sizes = [len(parse_qs(urlsplit(p).query)["bdata"][0].split("\r")) for p in asked]
    assert sizes == [ECITMATCH_BATCH, ECITMATCH_BATCH, 50] and ECITMATCH_BATCH == 100
    # Each answered line is mapped back to its own citation, in every batch.
    assert found == {f"k{i}": "" for i in range(249)} | {"k249": "29898932"}


def test_a_crossref_batch_in_an_outage_leaves_each_doi_unverified(
    server: tuple[int, Log],
) -> None:
    """A 503 for the batch: every DOI in it "not verified", none asked of doi.org."""
    port, log = server
    base = f"http://127.0.0.1:{port}/"
    endpoints = Endpoints(crossref=base + "down/", doi_handles=base + "api/handles/")
    dois = _dois(3)
    before = len(log.paths())
    fetched = fetch_crossref(_crossref_fetcher(), dois, endpoints, time.monotonic() + 30)
    assert {fetched.results[t].outcome for t in dois} <= TRANSIENT
    assert fetched.records == {}
    assert not [p for p in log.paths()[before:] if p.startswith("/api/handles/")]


def test_a_batch_crossref_refuses_is_asked_one_doi_at_a_time(server: tuple[int, Log]) -> None:
    """One DOI Crossref cannot parse (a 400 for the filter) does not hold back the others."""
    port, log = server
    base = f"http://127.0.0.1:{port}/"
    endpoints = Endpoints(crossref=base, doi_handles=base + "api/handles/")
    known = Target.identifier(TargetKind.doi, "10.1371/journal.pone.0033693")
    odd = Target.identifier(TargetKind.doi, "10.1000/refused")
    before = len(log.paths())
    fetched = fetch_crossref(_crossref_fetcher(), [known, odd], endpoints, time.monotonic() + 30)
    asked = [p for p in log.paths()[before:] if p.startswith(("/works", "/api/handles"))]
    assert asked[0].startswith("/works?filter=")
    assert sorted(asked[1:]) == ["/api/handles/10.1000/refused", "/works/10.1000%2Frefused",
                                 "/works/10.1371%2Fjournal.pone.0033693"]  # fmt: skip
    assert fetched.records[known].title.startswith("Methylphenidate")
    assert fetched.results[odd].detail.startswith("registered at doi.org")


def test_an_ecitmatch_batch_in_an_outage_keeps_the_answered_ones(server: tuple[int, Log]) -> None:
    """The first batch answered, the second met a 503: the first's answers stand."""
    port, _ = server
    endpoints = Endpoints(eutils=f"http://127.0.0.1:{port}/")
    items = [Wanted(f"k{i}", "T", "Chest", "2018", "1", "1") for i in range(99)]
    items += [Wanted("k99", "T", "Can Fam Physician", "2018", "64", "433")]
    items += [Wanted(f"k{i}", "T", "Down Journal", "2018", "1", "1") for i in range(100, 150)]
    found = ecitmatch(_crossref_fetcher(), items, endpoints, time.monotonic() + 30)
    assert found == {f"k{i}": "" for i in range(99)} | {"k99": "29898932"}


def test_a_long_field_cannot_push_ecitmatch_past_a_urls_length(server: tuple[int, Log]) -> None:
    """Fields are capped and batches cut by length: every request stays under a few KB."""
    port, log = server
    endpoints = Endpoints(eutils=f"http://127.0.0.1:{port}/")
    items = [Wanted(f"k{i}", "T", "J" * 5000, "2018", "1", "1") for i in range(60)]
    before = len(log.paths())
    found = ecitmatch(_crossref_fetcher(), items, endpoints, time.monotonic() + 30)
    asked = [p for p in log.paths()[before:] if p.startswith("/ecitmatch.cgi")]
    assert max(len(p) for p in asked) < 7000 and len(asked) > 1
    assert found == {f"k{i}": "" for i in range(60)}
