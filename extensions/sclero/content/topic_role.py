"""The ``topic`` role: link a topic page by its slug or alias, recording who links to whom."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.roles import XRefRole

from ..model.records import TopicRef
from .domain import sclero_domain

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


class TopicRole(XRefRole):
    """``{topic}`celiac-disease``` or ``{topic}`gluten <celiac-disease>```."""

    def __init__(self) -> None:
        # Unknown targets are reported by the domain's consistency check (with
        # suggestions), so the generic "reference target not found" stays quiet.
        super().__init__(innernodeclass=nodes.inline, warn_dangling=False)

    def result_nodes(
        self,
        document: nodes.document,
        env: BuildEnvironment,
        node: nodes.Element,
        is_ref: bool,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        """Record the reference in the domain (for backlinks), then return the node."""
        node["refdomain"] = "sclero"
        node["reftype"] = "topic"
        node["classes"].append("sclero-topic")
        # XRefRole names the inner node's class after the role ("topic"), which themes
        # style as docutils' boxed topic block; use our own name instead.
        for inner in node.findall(nodes.inline):
            inner["classes"] = ["xref", "sclero-topic-name"]
        domain = sclero_domain(env)
        domain.add_topic_ref(TopicRef(env.docname, self.lineno, node["reftarget"]))
        return [node], []


def quiet_missing_topic(app: object, domain: object, node: nodes.Element) -> bool | None:
    """Silence Sphinx's generic warning for unknown topics (warn-missing-reference).

    The domain reports them once per build with suggestions; nitpicky would add a second,
    less helpful warning at the same place.
    """
    return True if node.get("refdomain") == "sclero" else None
