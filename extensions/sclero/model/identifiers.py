"""Canonical URLs for identifiers, and the one place that decides whether a URL may be linked."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    from .records import Citation

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


# Two rankings of an entry's addresses, each for its own purpose:
# readers follow the title to a registry page they can trust, which does not move;
# reference managers keep the address the entry itself cites, registries after it.
READING_ORDER = ("pmid", "doi", "url", "pmcid")
EXPORT_ORDER = ("url", "pmid", "doi", "pmcid")
_URL_OF: dict[str, Callable[[str | None], str | None]] = {
    "pmid": pubmed_url,
    "doi": doi_url,
    "url": safe_url,
    "pmcid": pmc_url,
}


def first_url(citation: Citation, order: tuple[str, ...]) -> str | None:
    """The first address ``citation`` has, in ``order`` (``READING_ORDER``, ``EXPORT_ORDER``)."""
    return next((url for name in order if (url := _URL_OF[name](citation.get(name)))), None)
