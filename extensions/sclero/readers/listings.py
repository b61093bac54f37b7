"""Site-wide pages generated from every citation: the bibliography and the recent additions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Set
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..content.domain import sclero_domain
from ..content.source_line import source_line
from ..model.records import Citation
from ..model.works import work_key

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


class listing_placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils style)
    """Stands for a generated list until every page has been read."""


class BibliographyDirective(SphinxDirective):
    """``sclero-bibliography``: every cited work once, with the topics that cite it."""

    def run(self) -> list[nodes.Node]:
        """Record this page as a listing page and leave a placeholder."""
        _note_listing(self.env, self.env.docname)
        return [listing_placeholder(kind="bibliography")]


class RecentDirective(SphinxDirective):
    """``sclero-recent``: the newest citations by publication date."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"count": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        """Record this page as a listing page and leave a placeholder."""
        _note_listing(self.env, self.env.docname)
        return [listing_placeholder(kind="recent", count=self.options.get("count", 50))]


def _note_listing(env: BuildEnvironment, docname: str) -> None:
    domain = sclero_domain(env)
    domain.data["listings"][docname] = True


def reread_listings(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Re-read the listing pages whenever any page was added, changed or removed."""
    if not (added or changed or removed):
        return []
    domain = sclero_domain(env)
    return sorted(domain.data["listings"])


def _entry(
    app: Sphinx, docname: str, citation: Citation, cited_in: Iterable[Citation]
) -> nodes.list_item:
    """Title, source line, and links to each place the work is cited."""
    domain = sclero_domain(app.env)
    para = nodes.paragraph()
    para += nodes.strong("", citation.title)
    line = source_line(citation)
    if line:
        para += nodes.Text(f" {line}")
    para += nodes.Text(" Cited in: ")
    for i, place in enumerate(cited_in):
        if i:
            para += nodes.Text(", ")
        topic = domain.topics.get(place.docname)
        title = topic.title if topic else place.docname
        uri = app.builder.get_relative_uri(docname, place.docname) + "#" + place.anchor
        para += nodes.reference("", title, internal=True, refuri=uri)
    return nodes.list_item("", para)


def render_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace placeholders with the lists (doctree-resolved)."""
    placeholders = list(doctree.findall(listing_placeholder))
    if not placeholders:
        return
    domain = sclero_domain(app.env)
    everything = [c for d in sorted(domain.citations) for c in domain.citations[d]]
    works: dict[str, list[Citation]] = {}
    for citation in everything:
        works.setdefault(work_key(citation), []).append(citation)
    for placeholder in placeholders:
        items = nodes.bullet_list(classes=[f"sclero-{placeholder['kind']}"])
        if placeholder["kind"] == "bibliography":
            for places in sorted(works.values(), key=lambda p: p[0].title.lower()):
                items += _entry(app, docname, places[0], places)
        else:
            newest = sorted(everything, key=lambda c: c.get("date") or "", reverse=True)
            for citation in newest[: placeholder["count"]]:
                items += _entry(app, docname, citation, [citation])
        placeholder.replace_self(items)
