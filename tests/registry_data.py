"""Records the test registries answer with, in the registries' documented JSON shapes.

The PubMed and PMC entries follow E-utilities esummary 2.0 (``retmode=json``) as NCBI
answers it (titles end with a full stop, ``source`` is the NLM abbreviation, ``references``
lists CommentsCorrections as ``{refsource, reftype, pmid, note}``); the Crossref ones follow
``/works/{doi}`` (lists for titles, ``date-parts``, ``updated-by`` with ``source``). The
bibliographic facts are those of real articles: the celiac-disease guide cited on the
osteoporosis page (from ../shared/seed), the 1998 Lancet paper by Wakefield et al. (retracted
in 2010; Crossref lists the retraction twice, from the publisher and from Retraction Watch),
and a PLoS ONE article with a correction (as Crossref's answer recorded in habanero's test
cassettes shows it).
"""

from __future__ import annotations

from typing import Any


def _pubmed(
    uid: str,
    title: str,
    source: str,
    pubdate: str,
    volume: str,
    issue: str,
    pages: str,
    authors: list[str],
    ids: dict[str, str],
    pubtype: list[str],
    references: list[dict[str, Any]] | None = None,
    epubdate: str = "",
) -> dict[str, Any]:
    articleids = [{"idtype": "pubmed", "idtypen": 1, "value": uid}]
    articleids += [{"idtype": k, "idtypen": 3, "value": v} for k, v in ids.items()]
    return {
        "uid": uid, "pubdate": pubdate, "epubdate": epubdate, "source": source,
        "authors": [{"name": a, "authtype": "Author", "clusterid": ""} for a in authors],
        "title": title, "volume": volume, "issue": issue, "pages": pages,
        "pubtype": pubtype, "articleids": articleids, "references": references or [],
        "fulljournalname": source, "elocationid": "", "pmcrefcount": "",
    }  # fmt: skip


PUBMED: dict[str, dict[str, Any]] = {
    "29898932": _pubmed(
        "29898932",
        "Management of bone health in patients with celiac disease: Practical guide for "
        "clinicians.",
        "Can Fam Physician",
        "2018 Jun",
        "64",
        "6",
        "433-438",
        ["Duerksen D", "Pinto-Sanchez MI", "Anca A"],
        {"pmc": "PMC5999247"},
        ["Journal Article"],
    ),
    "9500320": _pubmed(
        "9500320",
        "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive "
        "developmental disorder in children.",
        "Lancet",
        "1998 Feb 28",
        "351",
        "9103",
        "637-41",
        ["Wakefield AJ", "Murch SH", "Anthony A"],
        {"doi": "10.1016/s0140-6736(97)11096-0"},
        ["Journal Article", "Retracted Publication"],
        [
            {
                "refsource": "Lancet. 2010 Feb 6;375(9713):445",
                "reftype": "Retraction in",
                "pmid": 20137807,
                "note": "",
            }
        ],
    ),
    # The same celiac guide with an erratum and with an expression of concern attached, to
    # test those notices (uids outside PubMed's range; never shown as real PMIDs).
    "59898931": {},
    "59898932": {},
}
PUBMED["59898931"] = {
    **PUBMED["29898932"], "uid": "59898931",
    "references": [{"refsource": "Can Fam Physician. 2018;64(8):570", "reftype": "Erratum in",
                    "pmid": 59898940, "note": ""}],
}  # fmt: skip
PUBMED["59898932"] = {
    **PUBMED["29898932"], "uid": "59898932",
    "references": [{"refsource": "Can Fam Physician. 2019;65(1):10",
                    "reftype": "Expression of concern in", "pmid": 59898941, "note": ""}],
}  # fmt: skip

PMC: dict[str, dict[str, Any]] = {
    "5999247": {
        "uid": "5999247",
        "pubdate": "2018 Jun",
        "epubdate": "",
        "source": "Can Fam Physician",
        "authors": [{"name": "Duerksen D", "authtype": "Author"}],
        "title": "Management of bone health in patients with celiac disease: Practical guide "
        "for clinicians",
        "volume": "64",
        "issue": "6",
        "pages": "433-438",
        "articleids": [
            {"idtype": "pmid", "value": "29898932"},
            {"idtype": "pmcid", "value": "PMC5999247"},
        ],
    },
}


def crossref_records() -> dict[str, dict[str, Any]]:
    """DOI (lower case) -> the Crossref ``/works`` answer's ``message``."""
    plos = {
        "DOI": "10.1371/journal.pone.0033693",
        "type": "journal-article",
        "title": ["Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of "
                  "Microglia in the Basal Ganglia of Mice"],
        "container-title": ["PLoS ONE"],
        "short-container-title": ["PLoS ONE"],
        "volume": "7", "issue": "3", "page": "e33693",
        "published-online": {"date-parts": [[2012, 3, 21]]},
        "issued": {"date-parts": [[2012, 3, 21]]},
        "author": [{"given": "Shankar", "family": "Sadasivan", "sequence": "first"},
                   {"given": "Brooks B.", "family": "Pond", "sequence": "additional"}],
        "updated-by": [
            {"updated": {"date-parts": [[2012, 5, 8]]},
             "DOI": "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda",
             "type": "correction", "label": "Correction"},
        ],
    }  # fmt: skip
    wakefield = {
        "DOI": "10.1016/s0140-6736(97)11096-0",
        "type": "journal-article",
        "title": ["Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive "
                  "developmental disorder in children"],
        "container-title": ["The Lancet"],
        "short-container-title": ["The Lancet"],
        "volume": "351", "issue": "9103", "page": "637-641",
        "published-print": {"date-parts": [[1998, 2]]},
        "issued": {"date-parts": [[1998, 2]]},
        "author": [{"given": "A.J.", "family": "Wakefield", "sequence": "first"}],
        "updated-by": [
            {"updated": {"date-parts": [[2010, 2]]}, "DOI": "10.1016/s0140-6736(10)60175-4",
             "type": "retraction", "label": "Retraction", "source": "retraction-watch",
             "record-id": "4036"},
            {"updated": {"date-parts": [[2010, 2]]}, "DOI": "10.1016/s0140-6736(10)60175-4",
             "type": "retraction", "label": "Retraction", "source": "publisher"},
        ],
    }  # fmt: skip
    return {str(r["DOI"]).lower(): r for r in (plos, wakefield)}
