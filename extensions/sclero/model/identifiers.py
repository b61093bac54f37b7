"""Canonical URLs for identifiers, and the one place that decides whether a URL may be linked."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

PUBMED_BASE = "https://pubmed.ncbi.nlm.nih.gov/"
PMC_BASE = "https://pmc.ncbi.nlm.nih.gov/articles/"
DOI_BASE = "https://doi.org/"

SAFE_SCHEMES = frozenset({"http", "https"})
PMID_SHAPE = re.compile(r"[1-9][0-9]{0,9}")
PMCID_SHAPE = re.compile(r"PMC[1-9][0-9]{0,9}")
# CS1's rule: "10." + registrant (digits and dots) + "/" + a suffix with no white space.
DOI_SHAPE = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+")


def pubmed_url(pmid: str | None) -> str | None:
    """The PubMed page of a well-formed PMID."""
    return f"{PUBMED_BASE}{pmid}/" if pmid and PMID_SHAPE.fullmatch(pmid) else None


def pmc_url(pmcid: str | None) -> str | None:
    """The PubMed Central page of a well-formed PMCID."""
    return f"{PMC_BASE}{pmcid}/" if pmcid and PMCID_SHAPE.fullmatch(pmcid) else None


def doi_url(doi: str | None) -> str | None:
    """The doi.org resolver URL of a well-formed DOI (its suffix percent-encoded)."""
    if not doi or not DOI_SHAPE.fullmatch(doi):
        return None
    return DOI_BASE + quote(doi, safe="/()._-;:")


def safe_url(url: str | None) -> str | None:
    """``url`` if a reader may follow it (http or https with a host, no white space)."""
    if not url or any(ch.isspace() for ch in url) or any(ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range or not a number)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        return None
    if parts.username is not None or parts.password is not None:
        return None  # credentials are never linked, sent or printed
    return url
