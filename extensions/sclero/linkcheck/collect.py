"""Collect every external link of a page while it is read, with its line, citation and target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ..content.domain import sclero_domain
from ..model.records import Finding
from ..model.rules import Subtype
from ..net.results import Keyed, Occurrence
from ..net.targets import UnusableURLError, parse, redact

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _place(ref: nodes.reference) -> tuple[int, str]:
    """The nearest line an ancestor knows, and the anchor of the citation around ``ref``."""
    citation, line = "", ref.line
    parent: nodes.Node | None = ref
    while parent is not None:
        if line is None and getattr(parent, "line", None):
            line = parent.line
        if isinstance(parent, nodes.container) and "sclero-citation" in parent["classes"]:
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
            domain.add_finding(
                Finding(
                    docname,
                    line,
                    Subtype.url,
                    f"link {redact(uri)!r} cannot be checked: {error}",
                    citation=citation,
                )
            )
            continue
        occurrence = Occurrence(uri, docname, line, citation)
        # A citation links its PMID from the title and the source line: one occurrence.
        if occurrence not in seen:
            seen.add(occurrence)
            # Parsed once, here: every later build plans from these without parsing again.
            found.append(Keyed(occurrence, parsed.target, parsed.fragment))
    domain.data["links"][docname] = found
