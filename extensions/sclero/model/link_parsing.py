"""Which target a written link names: an identifier at its registry, or the URL itself.

URLs are IRIs as contributors write them (``/café``, ``bücher.de``); they are turned into
URIs with w3lib, which percent-encodes per the WHATWG URL standard and applies IDNA to the
host, so the fetcher only ever sends ASCII.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from w3lib.url import safe_url_string

from .targets import Target, TargetKind

_PUBMED = re.compile(r"^/(\d+)/?$")
_PMC = re.compile(r"^/articles/(PMC\d+)/?$", re.IGNORECASE)
DEFAULT_PORTS = {"http": 80, "https": 443}


class UnusableURLError(ValueError):
    """A URL that cannot be checked (unparsable, bad port, no host); the message says why."""


@dataclass(frozen=True)
class Parsed:
    """A written URL as the checker sees it."""

    target: Target
    fragment: str
    had_credentials: bool


def redact(url: str) -> str:
    """``url`` with any user name and password replaced by ``***`` (safe to print)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"//[^/@]*@", "//***@", url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))


def to_uri(url: str) -> str:
    """The IRI ``url`` as an ASCII URI (percent-encoded path and query, IDNA host)."""
    try:
        return safe_url_string(url)
    except (ValueError, UnicodeError) as error:
        raise UnusableURLError(str(error)) from error


def _identifier(parts: SplitResult, host: str) -> Target | None:
    if host in ("doi.org", "dx.doi.org") and parts.path.strip("/"):
        return Target.identifier(TargetKind.doi, unquote(parts.path.lstrip("/")))
    if host == "pubmed.ncbi.nlm.nih.gov" and (m := _PUBMED.match(parts.path)):
        return Target.identifier(TargetKind.pmid, m.group(1))
    if host == "pmc.ncbi.nlm.nih.gov" and (m := _PMC.match(parts.path)):
        return Target.identifier(TargetKind.pmcid, m.group(1).upper())
    return None


@lru_cache(maxsize=16384)  # a page links each PMID twice; sites repeat URLs across pages
def parse(url: str) -> Parsed:
    """The target of ``url`` and its fragment; ``UnusableURLError`` says why there is none.

    Scheme and host are lower-cased; the default port, credentials and fragment dropped.
    """
    uri = to_uri(url)
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as error:
        raise UnusableURLError(str(error)) from error
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        raise UnusableURLError("only http and https URLs with a host name can be checked")
    identifier = _identifier(parts, host)
    credentials = parts.username is not None or parts.password is not None
    if identifier is not None:
        return Parsed(identifier, "", credentials)
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if ":" in host:  # an IPv6 literal keeps its brackets
        netloc = f"[{host}]" + netloc[len(host) :]
    base = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    return Parsed(Target(TargetKind.url, base), parts.fragment, credentials)
