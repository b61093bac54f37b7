"""Collect every external link of a page while it is read, with its line, citation and target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ..checks.links import unusable_link
from ..content.domain import sclero_domain
from ..content.nodes import is_entry
from ..model.link_parsing import UnusableURLError, parse
from ..model.packed import Packed
from ..model.targets import Keyed, Occurrence

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _place(ref: nodes.reference) -> tuple[int, str]:
    """The nearest line an ancestor knows, and the anchor of the citation around ``ref``."""
    citation, line = "", ref.line
    parent: nodes.Node | None = ref
    while parent is not None:
        if line is None and getattr(parent, "line", None):
            line = parent.line
        if is_entry(parent):
            citation = parent["ids"][0] if parent["ids"] else ""
        parent = parent.parent
    return line or 0, citation


def collect_links(app: Sphinx, doctree: nodes.document) -> None:
    """Record every http(s) link of the page (doctree-read); an unusable URL is a finding."""
    domain = sclero_domain(app.env)
    docname = app.env.docname
    found: list[Keyed] = []
    seen: set[Occurrence] = set()
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if not uri.lower().startswith(("http://", "https://")):
            continue
        line, citation = _place(ref)
        try:
            parsed = parse(uri)
        except UnusableURLError as error:
            domain.add_finding(unusable_link(docname, line, uri, error, citation))
            continue
        occurrence = Occurrence(uri, docname, line, citation)
        # A citation links its PMID from the title and the source line: one occurrence.
        if occurrence not in seen:
            seen.add(occurrence)
            # Parsed once, here: every later build plans from these without parsing again.
            found.append(Keyed(occurrence, parsed.target, parsed.fragment))
    domain.data["links"][docname] = Packed(found)
