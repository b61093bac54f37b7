"""Rules that need several citations or pages, notes, the JSON report, and incremental builds."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import BuildPages, citation
from .test_rules import fields, page


def report_of(built_outdir: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((built_outdir / "citation-report.json").read_text(encoding="utf-8"))


def test_duplicate_on_one_page_is_reported_at_the_second(build_pages: BuildPages) -> None:
    first = citation(**fields())
    second = citation("Another title", **fields())
    built = build_pages({"index": page(first, second)})
    assert built.warnings == [
        "index.md:22: WARNING: DOI '10.1016/j.chest.2019.06.036' is already cited at line 3 "
        "of this page [sclero.duplicate]"
    ]


def test_same_title_of_two_different_works_is_no_duplicate(build_pages: BuildPages) -> None:
    """Two reviews titled "Raynaud's phenomenon", in two journals with two DOIs, are two."""
    one = citation("Raynaud's phenomenon", journal="BMJ", date="2012", doi="10.1136/bmj.1")
    two = citation("Raynaud's phenomenon", journal="Lancet", date="2016", doi="10.1016/x.2")
    same = citation("Raynaud's phenomenon", journal="BMJ", date="2012")
    built = build_pages({"index": page(one, two)})
    assert built.warnings == []
    # The same title in the same journal, with nothing to tell them apart, is one work.
    again = build_pages({"index": page(one, same)})
    assert [w.split(" WARNING: ")[1] for w in again.warnings] == [
        "title 'raynaud s phenomenon' is already cited at line 3 of this page [sclero.duplicate]"
    ]


def test_same_work_on_two_pages_must_agree(build_pages: BuildPages) -> None:
    a = page(citation(**fields()))
    b = page(citation(**fields(date="2019-06")))
    built = build_pages({"index": a + "\n```{toctree}\nother\n```\n", "other": b})
    assert built.warnings == [
        "index.md:6: WARNING: DOI 10.1016/j.chest.2019.06.036 is also cited in other (line 3) "
        "with date '2019-06' [sclero.conflict]",
        "other.md:6: WARNING: DOI 10.1016/j.chest.2019.06.036 is also cited in index (line 3) "
        "with date '2019-12' [sclero.conflict]",
    ]


def test_same_work_on_two_pages_that_agree_is_fine(build_pages: BuildPages) -> None:
    a = page(citation(**fields()))
    built = build_pages({"index": a + "\n```{toctree}\nother\n```\n", "other": a})
    assert built.warnings == []


def test_duplicate_anchor_gets_a_suffix_and_a_warning(build_pages: BuildPages) -> None:
    first = citation(**fields(id="bmd"))
    second = citation("Other", **fields(doi=None, id="bmd"))
    built = build_pages({"index": page(first, second)})
    assert built.warnings == [
        "index.md:16: WARNING: anchor 'bmd' is already used on this page; this entry is "
        "'bmd-2', give it an explicit :id: [sclero.duplicate_id]"
    ]
    assert 'id="bmd-2"' in built.html()


def test_notes_are_listed_but_never_warnings(build_pages: BuildPages) -> None:
    """Legacy PubMed URLs and unknown journals are maintenance notes, with their fix."""
    bad = citation(
        **fields(journal="J Imaginary Bone Res", url="https://www.ncbi.nlm.nih.gov/pubmed/123")
    )
    built = build_pages({"index": page(bad)})
    assert built.warnings == []
    assert (
        "index.md:5: note: journal 'J Imaginary Bone Res' is not in the NLM catalogue (2021) "
        "[sclero.journal_unknown]" in built.status
    )
    assert (
        "index.md:11: note: URL uses the retired PubMed form; use "
        "https://pubmed.ncbi.nlm.nih.gov/123/ [sclero.url_legacy]" in built.status
    )
    report = report_of(Path(built.app.outdir))
    assert report["totals"] == {"errors": 0, "warnings": 0, "notes": 2, "waived": 0}
    assert report["per_rule"]["url_legacy"] == {"errors": 0, "warnings": 0, "notes": 1, "waived": 0}


def test_notes_can_be_suppressed(build_pages: BuildPages) -> None:
    bad = citation(**fields(url="https://www.ncbi.nlm.nih.gov/pubmed/123"))
    built = build_pages({"index": page(bad)}, conf="suppress_warnings = ['sclero.url_legacy']")
    assert "url_legacy" not in built.status


def test_json_report_counts_and_locates(build_pages: BuildPages) -> None:
    cites = [
        citation("With PMID", **fields(doi=None, pmid="29898932")),
        citation("With DOI", **fields()),
        citation("With neither", **fields(doi=None, date="2019-02-30")),
    ]
    built = build_pages({"index": page(*cites)})
    report = report_of(Path(built.app.outdir))
    assert report["counts"] == {
        "citations": 3, "with_pmid": 1, "with_doi": 1, "with_neither": 1, "pages": 1,
    }  # fmt: skip
    assert report["findings"] == [
        {
            "file": "src/index.md",
            "docname": "index",
            "line": 30,
            "rule": "sclero.date",
            "severity": "error",
            "message": "date 2019-02-30 is not a calendar date (February 2019 has 28 days)"
            "; write the publication date as 2019, 2019-07 or 2019-07-25",
            "citation": "with-neither",
        }
    ]
    assert "citations checked: 3 on 1 pages (PMID 1, DOI 1, neither 1)" in built.status


def test_incremental_build_still_reports_unchanged_pages(
    build_pages: BuildPages, tmp_path: Path
) -> None:
    """Findings live in the domain: a rebuild that re-reads nothing lists them again."""
    src = tmp_path / "site"
    pages = {"index": page(citation(**fields(date="2019-02-30")))}
    first = build_pages(pages, srcdir=src)
    expected = [
        "index.md:6: WARNING: date 2019-02-30 is not a calendar date (February 2019 has 28 "
        "days); write the publication date as 2019, 2019-07 or 2019-07-25 [sclero.date]"
    ]
    assert first.warnings == expected
    second = build_pages({}, srcdir=src)
    assert "0 added, 0 changed, 0 removed" in second.status
    assert second.warnings == expected


def test_unknown_topic_in_also_see_is_reported_once_with_suggestion(
    build_pages: BuildPages,
) -> None:
    built = build_pages(
        {
            "index": page(citation(**fields(also_see="celiac-diseas")))
            + "\n```{toctree}\n:glob:\ntopics/*\n```\n",
            "topics/celiac-disease": "# Celiac Disease\n",
        }
    )
    assert built.warnings == [
        "index.md:11: WARNING: unknown topic 'celiac-diseas'; did you mean 'celiac-disease'? "
        "[sclero.topic_unknown]"
    ]
