"""House-style rendering: a regression file of the entries' HTML, and the formatting functions."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from pytest_regressions.file_regression import FileRegressionFixture
from sclero.content.source_line import format_date, source_line
from sclero.model.identifiers import doi_url, pubmed_url, safe_url
from sclero.model.records import Citation
from sphinx.testing.util import SphinxTestApp


@pytest.mark.sphinx("html", testroot="citation")
def test_citation_html(app: SphinxTestApp, file_regression: FileRegressionFixture) -> None:
    app.build()
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    entries = soup.select("div.sclero-citation")
    assert len(entries) == 3
    file_regression.check("\n".join(e.prettify() for e in entries), extension=".html")


@pytest.mark.sphinx("html", testroot="citation")
def test_search_indexes_the_entry_not_its_permalink(app: SphinxTestApp) -> None:
    """Readers search for titles and summaries; "Permalink" is a label on every entry."""
    app.build()
    index = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(index[index.index("(") + 1 : index.rindex(")")])["terms"]
    assert "permalink" not in terms
    assert "vitamin" in terms  # a word of an entry's summary


def make(**fields: str) -> Citation:
    return Citation("d", 1, "a", "article", "T", "S", tuple(fields.items()))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"outlet": "PubMed", "journal": "Can Fam Physician", "date": "2018-06", "volume": "64",
          "issue": "6", "pages": "433-438"}, "PubMed, Can Fam Physician, 2018 Jun;64(6):433-438."),
        ({"outlet": "PubMed", "journal": "Mult Scler Relat Disord", "date": "2019-01-08",
          "volume": "28", "pages": "305-308"},
         "PubMed, Mult Scler Relat Disord, 2019 Jan 8;28:305-308."),
        ({"outlet": "PubMed", "journal": "Biomed Res Int", "date": "2017", "volume": "2017",
          "pages": "4210217"}, "PubMed, Biomed Res Int, 2017;2017:4210217."),
        ({"outlet": "Reuters Health", "date": "2018-06-13"}, "Reuters Health, 2018 Jun 13."),
        ({"outlet": "WebMD"}, "WebMD."),
        ({"journal": "Chest", "date": "2019-12", "pages": "e4912"}, "Chest, 2019 Dec:e4912."),
        ({}, ""),
    ],
)  # fmt: skip
def test_source_line(fields: dict[str, str], expected: str) -> None:
    assert source_line(make(**fields)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2019", "2019"), ("2019-07", "2019 Jul"), ("2019-07-05", "2019 Jul 5"),
     ("2019-13", "2019-13"), ("07/25/2019", "07/25/2019")],
)  # fmt: skip
def test_format_date_shows_unparsable_as_written(value: str, expected: str) -> None:
    assert format_date(value) == expected


def test_identifier_urls_only_for_well_formed_values() -> None:
    assert pubmed_url("29898932") == "https://pubmed.ncbi.nlm.nih.gov/29898932/"
    assert pubmed_url("29898932x") is None
    assert doi_url("10.1016/j.chest.2019.06.036") == "https://doi.org/10.1016/j.chest.2019.06.036"
    assert doi_url("doi:10.1/x") is None
    assert safe_url("https://example.org/a?b=c") == "https://example.org/a?b=c"
    for unsafe in ("javascript:alert(1)", "data:text/html,x", "https://exa mple.org", "//x.org"):
        assert safe_url(unsafe) is None
