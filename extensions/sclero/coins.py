"""COinS (OpenURL ContextObject in a span): the per-entry metadata Zotero and others read."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from docutils import nodes

from .links import safe_url
from .records import Citation

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

_ISO = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_RANGE = re.compile(r"([A-Za-z]{0,2}\d+)-([A-Za-z]{0,2}\d+)")


class coins(nodes.Inline, nodes.Element):  # noqa: N801 (docutils node naming)
    """An empty ``span.Z3988`` whose title carries the citation as an OpenURL query."""


def kev_pairs(citation: Citation) -> list[tuple[str, str]]:
    """The OpenURL 1.0 key/value pairs of a citation (journal format for articles, else DC)."""
    get = citation.get
    date = get("date") or ""
    date = date if _ISO.fullmatch(date) else ""
    pairs: list[tuple[str, str]] = [("ctx_ver", "Z39.88-2004")]
    if citation.kind == "article":
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"), ("rft.genre", "article")]
        pairs += [("rft.atitle", citation.title)]
        if get("journal"):
            pairs.append(("rft.jtitle", get("journal") or ""))
        for key in ("volume", "issue", "issn"):
            if get(key):
                pairs.append((f"rft.{key}", get(key) or ""))
        pages = get("pages") or ""
        if match := _RANGE.fullmatch(pages):
            pairs += [("rft.spage", match.group(1)), ("rft.epage", match.group(2))]
        elif pages:
            pairs.append(("rft.pages", pages))
    else:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.type", "webpage")]
        pairs += [("rft.title", citation.title)]
        if get("outlet"):
            pairs.append(("rft.source", get("outlet") or ""))
    if date:
        pairs.append(("rft.date", date))
    for key, scheme in (("pmid", "info:pmid/"), ("doi", "info:doi/")):
        if get(key):
            pairs.append(("rft_id", scheme + (get(key) or "")))
    if url := safe_url(get("url")):
        pairs.append(("rft_id", url))
    return pairs


def make_coins(citation: Citation) -> coins:
    """The node for one citation; its title is built once, at read time."""
    return coins("", title=urlencode(kev_pairs(citation)))


def visit_coins_html(self: HTML5Translator, node: coins) -> None:
    """Write the span; ``starttag`` escapes the attribute, so hostile text stays text."""
    self.body.append(self.starttag(node, "span", "", CLASS="Z3988", title=node["title"]))
    self.body.append("</span>")
    raise nodes.SkipNode


def skip_node(self: object, node: nodes.Node) -> None:
    """Other builders have no use for COinS."""
    raise nodes.SkipNode
