"""URLs: safe scheme, no credentials or white space, a real host, agreement with identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from ..model.identifiers import doi_url, pmc_url, pubmed_url
from ..model.link_parsing import redact
from ..model.records import Citation, Finding
from ..model.rules import Subtype
from .context import CheckContext, finding

Problem = tuple[Subtype, str]

_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_PUBMED = re.compile(
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov/pubmed)/([0-9]+)"
)
_LEGACY_PUBMED = re.compile(r"(?:www\.)?ncbi\.nlm\.nih\.gov/pubmed/([0-9]+)")
_PMC = re.compile(
    r"(?:pmc\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov/pmc)/articles/(PMC[0-9]+)", re.I
)
_LEGACY_PMC = re.compile(r"(?:www\.)?ncbi\.nlm\.nih\.gov/pmc/articles/(PMC[0-9]+)", re.I)
_DOI_HOST = re.compile(r"(?:dx\.)?doi\.org", re.I)


def check_url_syntax(value: str) -> list[Problem]:
    """http(s) only, no credentials, no white space, a host name with a real top-level domain."""
    shown = redact(value)
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        return [(Subtype.url, f"URL {shown!r} contains white space or control characters")]
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        has_credentials = parts.username is not None or parts.password is not None
        parts.port  # noqa: B018 (raises ValueError for a malformed port)
    except ValueError as error:
        return [(Subtype.url, f"URL {shown!r} cannot be parsed ({error})")]
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "no scheme"
        return [(Subtype.url, f"URL {shown!r} has {scheme!r}; only http and https are allowed")]
    if has_credentials:
        return [(Subtype.url, f"URL {shown!r} carries a user name or password; remove them")]
    try:
        # An internationalised host is checked in its ASCII (punycode) form.
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return [(Subtype.url, f"URL {shown!r} has no real host name ({host!r})")]
    labels = host.split(".")
    if (
        len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]+", labels[-1])
    ):
        return [(Subtype.url, f"URL {shown!r} has no real host name ({host or 'empty'!r})")]
    return []


def check_url_identifiers(value: str, citation: Citation) -> list[Problem]:
    """A URL that names a PubMed, PMC or DOI record must name the citation's own."""
    problems: list[Problem] = []
    pmid, pmcid, doi = citation.get("pmid"), citation.get("pmcid"), citation.get("doi")
    if (m := _PUBMED.search(value)) and pmid and m.group(1) != pmid:
        problems.append((Subtype.url_mismatch, f"URL names PMID {m.group(1)} but :pmid: is {pmid}"))
    if (m := _PMC.search(value)) and pmcid and m.group(1).upper() != pmcid.upper():
        problems.append((Subtype.url_mismatch, f"URL names {m.group(1)} but :pmcid: is {pmcid}"))
    parts = urlsplit(value)
    if _DOI_HOST.fullmatch(parts.hostname or "") and doi:
        url_doi = unquote(parts.path.lstrip("/"))
        if url_doi.lower() != doi.lower():
            problems.append((Subtype.url_mismatch, f"URL names DOI {url_doi} but :doi: is {doi}"))
    if m := _LEGACY_PUBMED.search(value):
        problems.append(
            (Subtype.url_legacy, f"URL uses the retired PubMed form; use {pubmed_url(m.group(1))}")
        )
    elif m := _LEGACY_PMC.search(value):
        problems.append(
            (
                Subtype.url_legacy,
                f"URL uses the retired PMC form; use {pmc_url(m.group(1).upper())}",
            )
        )
    elif _DOI_HOST.fullmatch(parts.hostname or "") and (
        parts.scheme != "https" or parts.hostname != "doi.org"
    ):
        problems.append(
            (
                Subtype.url_legacy,
                "URL uses an old DOI resolver form; use "
                f"{doi_url(unquote(parts.path.lstrip('/')))}",
            )
        )
    return problems


def check_url(citation: Citation, ctx: CheckContext) -> Iterator[Finding]:
    """The ``url`` field."""
    value = citation.get("url")
    if not value:
        return
    problems = check_url_syntax(value)
    if not problems:
        problems = check_url_identifiers(value, citation)
    for subtype, message in problems:
        yield finding(citation, "url", subtype, message)
