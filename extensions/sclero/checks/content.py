"""Rules on what a page may contain at all: raw HTML, unsafe link schemes, UTF-8 text.

The guards in ``content/`` act (strip, unlink, skip the page); the findings come from here.
"""

from __future__ import annotations

from ..model.link_parsing import redact
from ..model.records import Finding
from ..model.rules import Subtype


def raw_html(docname: str, line: int) -> Finding:
    """Raw HTML, removed from the page."""
    return Finding(
        docname,
        line,
        Subtype.raw_html,
        "raw HTML is not allowed in pages and was removed; write Markdown instead",
    )


def unsafe_url(docname: str, line: int, uri: str, scheme: str) -> Finding:
    """A link whose scheme is not linked (it is left as text)."""
    return Finding(
        docname,
        line,
        Subtype.unsafe_url,
        f"link to {uri[:40]!r} uses {scheme!r}; only http, https and mailto are linked",
    )


def url_credentials(docname: str, line: int, uri: str) -> Finding:
    """A link that carries a user name or password (the page links it without them)."""
    return Finding(
        docname,
        line,
        Subtype.url,
        f"link {redact(uri)!r} carries a user name or password; a page must not publish "
        "them (remove them; the link is shown and checked without them)",
    )


def outside_file(docname: str, line: int, uri: str) -> Finding:
    """A file shown by a page that lies outside the site's folder (left out)."""
    return Finding(
        docname,
        line,
        Subtype.outside_file,
        f"{uri[:60]!r} is outside the site's folder; only files under docs/ are shown, so "
        "it was left out",
    )


def not_utf8(docname: str, line: int, problem: str) -> Finding:
    """A page that is not UTF-8 text (left out of the site until it is)."""
    return Finding(docname, line, Subtype.encoding, problem)
