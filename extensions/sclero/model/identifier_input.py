"""An identifier as an editor pastes it: a bare number, ``PMID:``, ``PMC…``, ``doi:`` or a URL.

Only spellings that name one identifier without doubt are read; nothing is corrected (a
PMID with a letter in it is refused, never "fixed").
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from .identifiers import DOI_SHAPE, PMCID_SHAPE, PMID_SHAPE
from .targets import Target, TargetKind

_PREFIX = re.compile(r"^(?P<label>pmid|pmcid|pmc|doi)\s*[:=]?\s*", re.IGNORECASE)
_PUBMED_PATH = re.compile(r"^/(?:pubmed/)?([0-9]+)/?$")
_PMC_PATH = re.compile(r"^/(?:pmc/)?articles/(PMC[0-9]+)/?$", re.IGNORECASE)
_DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")
_PUBMED_HOSTS = ("pubmed.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov")
_PMC_HOSTS = ("pmc.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov")


class IdentifierInputError(ValueError):
    """What was given is not one PMID, PMCID or DOI; the message says what it is not."""


def _from_url(text: str) -> Target:
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path)
    if host in _DOI_HOSTS and DOI_SHAPE.fullmatch(path.lstrip("/")):
        return Target.identifier(TargetKind.doi, path.lstrip("/"))
    if host in _PMC_HOSTS and (m := _PMC_PATH.match(path)):
        return Target.identifier(TargetKind.pmcid, m.group(1).upper())
    pubmed = _PUBMED_PATH.match(path) if host in _PUBMED_HOSTS else None
    if pubmed and PMID_SHAPE.fullmatch(pubmed.group(1)):
        return Target.identifier(TargetKind.pmid, pubmed.group(1))
    raise IdentifierInputError(f"{text!r} is not a PubMed, PMC or doi.org address")


def parse_identifier(given: str) -> Target:
    """The identifier ``given`` names (raises ``IdentifierInputError`` with the reason)."""
    text = given.strip()
    if text.lower().startswith(("http://", "https://")):
        return _from_url(text)
    label = ""
    if match := _PREFIX.match(text):
        label, text = match["label"].lower(), text[match.end() :].strip()
    if label in ("", "pmid") and PMID_SHAPE.fullmatch(text):
        return Target.identifier(TargetKind.pmid, text)
    if label in ("", "pmc", "pmcid") and PMCID_SHAPE.fullmatch(text.upper()):
        return Target.identifier(TargetKind.pmcid, text.upper())
    if label == "pmc" and PMID_SHAPE.fullmatch(text):  # "PMC 5999247", "pmc5999247"
        return Target.identifier(TargetKind.pmcid, f"PMC{text}")
    if label in ("", "doi") and DOI_SHAPE.fullmatch(text):
        return Target.identifier(TargetKind.doi, text)
    raise IdentifierInputError(
        f"{given.strip()!r} is not a PMID (digits), a PMCID (PMC and digits) or a DOI (10.…/…)"
    )


def parse_identifiers(given: str) -> list[list[Target]]:
    """Works separated by commas; one work's identifiers joined by ``+`` (``123+doi:10.1/x``)."""
    works = []
    for item in given.split(","):
        if item.strip():
            works.append([parse_identifier(part) for part in item.split("+") if part.strip()])
    if not works:
        raise IdentifierInputError("no identifier given (ID=29898932, or several: ID=1,2,3)")
    return works
