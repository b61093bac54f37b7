"""What every topic page says about itself: its source, its review, its downloads.

Also the disclaimer link on every page; a topic with no entries yet is marked as not yet
migrated.
Entries keep the order their editor gave them; only the site-wide lists sort.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from ..checks.page import PageFacts, read_front_matter
from ..checks.placeholders import placeholder_paragraph
from ..content.domain import is_topic, sclero_domain
from ..content.source_line import format_date
from ..model.records import Citation
from .about_page import about_page
from .downloads import downloads_placeholder

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

ARCHIVE = "https://web.archive.org/web/{when}/{url}"
STUB = "not yet migrated"


def today_of(app: Sphinx) -> date:
    """``sclero_today`` (tests) or the real date."""
    fixed: str = app.config.sclero_today
    return date.fromisoformat(fixed) if fixed else date.today()


def _link(text: str, url: str) -> nodes.reference:
    return nodes.reference("", text, refuri=url)


def provenance(facts: PageFacts) -> nodes.container | None:
    """The archive notice: from SCLERO.ORG, as of when, its address and an archived copy."""
    if not facts.legacy_url:
        return None
    box = nodes.container(classes=["sclero-provenance"])
    para = nodes.paragraph()
    as_of = f", as of {facts.legacy_as_of}" if facts.legacy_as_of else ""
    para += nodes.strong("", f"From SCLERO.ORG (retired 2021){as_of}.")
    para += nodes.Text(" Legacy page: ")
    para += _link(facts.legacy_url, facts.legacy_url)
    para += nodes.Text(" · ")
    # A link only: nothing is fetched from the archive at build time.
    when = facts.legacy_as_of if facts.legacy_as_of.isdigit() else "*"
    para += _link("archived copy", ARCHIVE.format(when=when, url=facts.legacy_url))
    para += nodes.Text(".")
    box += para
    if facts.migrated:
        note = nodes.paragraph()
        note += nodes.Text(
            f"Migrated on {facts.migrated.isoformat()}. The legacy page's links were lost: "
            "PMIDs, PMCIDs and DOIs were added from public records. Where an entry differs from "
            "what the legacy page printed, the entry says so. Dates are written as PubMed writes "
            "them, page ranges in full, and dashes inside words as hyphens."
        )
        box += note
    return box


def review_status(app: Sphinx, facts: PageFacts, citations: Sequence[Citation]) -> list[nodes.Node]:
    """Who reviewed the page and when, or that nobody has; a notice when that is not recent."""
    info = nodes.paragraph(classes=["sclero-page-info"])
    if facts.reviewed:
        # The NHS pattern: when it was reviewed, and when the next review is due.
        due = facts.next_review.isoformat() if facts.next_review else ""
        info += nodes.Text(
            f"Page last reviewed: {facts.reviewed.isoformat()} by {facts.reviewer}"
            + (f" · Next review due: {due}" if due else "")
        )
    else:
        info += nodes.Text("Not yet medically reviewed")
    dates = sorted((c.get("date") or "" for c in citations), reverse=True)
    if dates and dates[0]:
        info += nodes.Text(f" · Newest citation: {format_date(dates[0])}")
    out: list[nodes.Node] = [info]
    limit = timedelta(days=app.config.sclero_review_max_days)
    today = today_of(app)
    overdue = facts.next_review is not None and facts.next_review < today
    if facts.reviewed is None or overdue or today - facts.reviewed > limit:
        notice = nodes.admonition(classes=["sclero-stale", "warning"])
        if facts.reviewed is None:
            notice += nodes.title("", "Not yet medically reviewed")
            text = (
                "No clinician has reviewed this page since it was migrated; it lists research "
                "as the legacy site did. Newer research may change what it says."
            )
        elif overdue and facts.next_review is not None:
            notice += nodes.title("", "Review overdue")
            text = (
                f"This page's review was due on {facts.next_review.isoformat()}; it was last "
                f"reviewed on {facts.reviewed.isoformat()}. Newer research may change what it "
                "says."
            )
        else:
            notice += nodes.title("", "Not recently reviewed")
            text = (
                f"This page has not been reviewed since {facts.reviewed.isoformat()}; newer "
                "research may change what it says."
            )
        notice += nodes.paragraph("", text)
        out.append(notice)
    return out


def decorate_topic_page(app: Sphinx, doctree: nodes.document) -> None:
    """Provenance, review and downloads on topics; the disclaimer on all pages (doctree-read)."""
    env = app.env
    docname = env.docname
    if is_topic(docname, app.config):
        domain = sclero_domain(env)
        facts, findings = read_front_matter(docname, env.metadata[docname], today_of(app))
        for finding in findings:
            domain.add_finding(finding)
        citations: Sequence[Citation] = domain.citations.get(docname, [])
        for paragraph in doctree.findall(nodes.paragraph):
            if found := placeholder_paragraph(docname, paragraph.line or 0, paragraph.astext()):
                domain.add_finding(found)
        first = next(iter(doctree.findall(nodes.section)), None)
        if first is not None:
            title_index = first.first_child_matching_class(nodes.title)
            position = 0 if title_index is None else title_index + 1
            added: list[nodes.Node] = []
            if box := provenance(facts):
                added.append(box)
            if citations:
                added += review_status(app, facts, citations)
                first.append(downloads_placeholder())
            title = first.next_node(nodes.title)
            first.append(about_page(app, docname, title.astext() if title else docname, facts,
                                    citations))  # fmt: skip
            for offset, node in enumerate(added):
                first.insert(position + offset, node)
        if str(env.metadata[docname].get("migration", "")).strip() == "pending":
            mark_stub(env, docname)
    disclaimer = app.config.sclero_disclaimer_doc
    if disclaimer and docname != disclaimer and disclaimer in env.found_docs:
        _append_disclaimer(doctree, disclaimer)


def mark_stub(env: BuildEnvironment, docname: str) -> None:
    """A topic whose front matter says ``migration: pending`` is titled so wherever listed."""
    title = env.titles.get(docname)
    if title is not None and STUB not in title.astext():
        marked = title.deepcopy()
        marked += nodes.Text(f" ({STUB})")
        env.titles[docname] = marked


def _append_disclaimer(doctree: nodes.document, disclaimer: str) -> None:
    """Every page ends with a link to the disclaimer, one click away."""
    para = nodes.paragraph(classes=["sclero-disclaimer-link"])
    para += nodes.Text("Not medical advice: read the ")
    xref = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget=f"/{disclaimer}", refexplicit=True
    )
    xref += nodes.inline("", "disclaimer")
    para += xref
    para += nodes.Text(".")
    target = next(iter(doctree.findall(nodes.section)), doctree)
    target.append(para)


def mark_stub_cards(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Cards that link a topic pending migration say "Not yet migrated" (doctree-resolved)."""
    if app.builder.format != "html":
        return
    domain = sclero_domain(app.env)
    stubs = {
        app.builder.get_relative_uri(docname, topic)
        for topic in domain.topics
        if str(app.env.metadata[topic].get("migration", "")).strip() == "pending"
    }
    if not stubs:
        return
    for card in doctree.findall(nodes.container):
        if "sd-card" not in card["classes"]:
            continue
        links = [r for r in card.findall(nodes.reference) if r.get("refuri", "") in stubs]
        titles = [t for t in card.findall(nodes.container) if "sd-card-title" in t["classes"]]
        if links and titles and "sclero-stub-card" not in card["classes"]:
            card["classes"].append("sclero-stub-card")
            titles[0] += nodes.inline("", "Not yet migrated", classes=["sclero-stub", "sd-badge"])
