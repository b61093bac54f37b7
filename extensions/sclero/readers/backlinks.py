"""The generated "Referenced from" list at the end of every topic page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ..content.domain import sclero_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


class backlinks_placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils style)
    """Stands where the backlinks go until every page has been read."""


def insert_placeholder(app: Sphinx, doctree: nodes.document) -> None:
    """Append a placeholder to each topic page (doctree-read)."""
    if app.env.docname.startswith(app.config.sclero_topic_prefix):
        sections = list(doctree.findall(nodes.section))
        (sections[0] if sections else doctree).append(backlinks_placeholder())


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Topic pages whose backlinks changed since they were written (env-updated).

    Editing page A changes the backlinks of the topics A links to (or used to link to),
    although those topics were not re-read; returning them makes Sphinx rewrite them.
    """
    domain = sclero_domain(env)
    current = domain.backlinks()
    rendered: dict[str, tuple[tuple[str, str], ...]] = domain.data["rendered_backlinks"]
    changed = [
        docname
        for docname in domain.topics
        if current.get(docname, ()) != rendered.get(docname, ())
    ]
    domain.data["rendered_backlinks"] = {d: current.get(d, ()) for d in domain.topics}
    domain.build.readers.pages_relinked = set(changed)
    return sorted(changed)


def render_backlinks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace the placeholder with the list of pages that refer here (doctree-resolved)."""
    domain = sclero_domain(app.env)
    sources = domain.data["rendered_backlinks"].get(docname, ())
    for placeholder in list(doctree.findall(backlinks_placeholder)):
        if not sources:
            placeholder.parent.remove(placeholder)
            continue
        box = nodes.container(classes=["sclero-backlinks"])
        box += nodes.rubric("", "Referenced from")
        items = nodes.bullet_list()
        for source, title in sources:
            ref = nodes.reference(
                "", title, internal=True, refuri=app.builder.get_relative_uri(docname, source)
            )
            items += nodes.list_item("", nodes.paragraph("", "", ref))
        box += items
        placeholder.replace_self(box)
