"""The "About this page" block of every topic page: the JAMA benchmarks (Silberg 1997).

Authorship (who wrote it, in what role), attribution (its sources), disclosure (who runs the
site, its funding, its advertising, where to report a problem) and currency (migrated,
reviewed, next review). A fact nobody stated is shown as "not stated", never filled in; the
build notes each disclosure the configuration does not state.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from docutils import nodes

from ..checks.page import PageFacts, disclosure_unset
from ..content.domain import is_topic, sclero_domain
from ..model.identifiers import safe_url
from ..model.records import Citation

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

NOT_STATED = "not stated"
# conf.py setting -> what it states on the page.
DISCLOSURE_SETTINGS = {
    "sclero_publisher": "Published by",
    "sclero_funding": "Funding",
    "sclero_advertising": "Advertising",
    "sclero_repository": "Report a problem",
}


def _stated(app: Sphinx, name: str) -> str:
    return " ".join(str(getattr(app.config, name, "") or "").split())


def _problem_link(app: Sphinx, docname: str, title: str) -> nodes.Node:
    """A prefilled GitHub issue about this page, or "not stated" without a repository."""
    repository = safe_url(_stated(app, "sclero_repository"))
    if repository is None:
        return nodes.Text(NOT_STATED)
    query = urlencode({
        "title": f"Problem with the page {title}",
        "body": f"Page: docs/{docname}.md\n\nWhat is wrong, and where (the entry or line):\n",
    })  # fmt: skip
    return nodes.reference("", "Report a problem with this page",
                           refuri=f"{repository.rstrip('/')}/issues/new?{query}")  # fmt: skip


def about_page(
    app: Sphinx, docname: str, title: str, facts: PageFacts, citations: Sequence[Citation]
) -> nodes.container:
    """The four benchmarks as one block at the end of the page."""
    box = nodes.container(classes=["sclero-about-page"])
    box += nodes.rubric("", "About this page")
    rows: list[tuple[str, list[nodes.Node]]] = [
        ("Author", [nodes.Text(facts.author or NOT_STATED)]),
        ("Sources", [nodes.Text(
            f"{len(citations)} cited article{'s' if len(citations) != 1 else ''} and reports, "
            "each with where it was published" if citations else "none cited yet")]),
    ]  # fmt: skip
    for name, label in DISCLOSURE_SETTINGS.items():
        if name == "sclero_repository":
            rows.append(("Contact", [_problem_link(app, docname, title)]))
        else:
            rows.append((label, [nodes.Text(_stated(app, name) or NOT_STATED)]))
    currency = []
    if facts.migrated:
        currency.append(f"migrated {facts.migrated.isoformat()}")
    currency.append(f"last reviewed {facts.reviewed.isoformat()}" if facts.reviewed
                    else "not yet medically reviewed")  # fmt: skip
    if facts.next_review:
        currency.append(f"next review due {facts.next_review.isoformat()}")
    rows.append(("Currency", [nodes.Text("; ".join(currency).capitalize())]))
    items = nodes.bullet_list()
    for label, content in rows:
        para = nodes.paragraph()
        para += nodes.strong("", f"{label}: ")
        for node in content:
            para += node
        items += nodes.list_item("", para)
    box += items
    return box


def note_disclosure(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """One note per disclosure nobody stated (a page without an author says so itself)."""
    state = sclero_domain(env).build
    topics = [d for d in sorted(env.found_docs) if is_topic(d, app.config)]
    if not topics:
        return []
    conf = str(Path(app.confdir) / "conf.py")
    for name, label in DISCLOSURE_SETTINGS.items():
        if not _stated(app, name):
            state.readers.findings.append(disclosure_unset(name, label, NOT_STATED, conf))
    return []
