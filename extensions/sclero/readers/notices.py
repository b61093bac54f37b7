"""What readers are told about each entry's identifiers, and any notice about the article.

Verified against which registry and when, not yet verified, or none; the record's first
author; a retraction, expression of concern or correction as a banner linking the notice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ..content.domain import sclero_domain
from ..content.nodes import citation_entries
from ..model.evidence import STUDY_KINDS, StudyKind
from ..model.registry_record import NOTICE_INFO, Notice
from .coins import fill_coins
from .formats import Exported

if TYPE_CHECKING:
    from sphinx.application import Sphinx


# The page that explains each kind of study and why reviews weigh more than single studies.
EVIDENCE_DOC = "evidence"


def _study_label(app: Sphinx, docname: str, kind: StudyKind) -> nodes.Node:
    """The kind of study, linked to the page that explains the kinds (when the site has it)."""
    label = STUDY_KINDS[kind].label
    if EVIDENCE_DOC not in app.env.found_docs or app.builder.format != "html":
        return nodes.inline(label, label, classes=["sclero-study", kind.value])
    uri = app.builder.get_relative_uri(docname, EVIDENCE_DOC) + f"#{kind.value.replace('_', '-')}"
    link = nodes.reference(label, label, refuri=uri, internal=True)
    link["classes"] += ["sclero-study", kind.value]
    return link


def _banner(notice: Notice) -> nodes.container:
    info = NOTICE_INFO[notice.kind]
    title, text = info.title, info.text
    box = nodes.container(
        classes=["sclero-notice", f"sclero-notice-{notice.kind.value}"], role="note"
    )
    para = nodes.paragraph()
    para += nodes.strong("", f"{title}. ")
    para += nodes.Text(f"{text} ")
    if notice.url:
        para += nodes.reference("", f"Read the notice ({notice.label})", refuri=notice.url)
    else:
        para += nodes.Text(f"({notice.label}, {notice.source})")
    box += para
    return box


def render_verification(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Add banners and the verification line to each entry (doctree-resolved)."""
    domain = sclero_domain(app.env)
    states = domain.build.verify.verification
    citations = {c.anchor: c for c in domain.citations.get(docname, [])}
    for anchor, entry in citation_entries(doctree):
        citation = citations.get(anchor)
        if citation is None:
            continue
        verification = states.get((docname, anchor))
        fill_coins(entry, Exported(citation, verification))
        if verification is None:
            continue
        for offset, notice in enumerate(verification.notices):
            entry.insert(offset, _banner(notice))
        if verification.retracted:
            entry["classes"].append("sclero-retracted")
        line = nodes.paragraph(classes=["sclero-citation-verification", verification.state])
        if verification.study:
            line += _study_label(app, docname, StudyKind(verification.study))
            line += nodes.Text(" · ")
        if verification.authors:
            line += nodes.Text(
                f"{verification.authors} (authors from the {verification.authors_from} record) · "
            )
        line += nodes.Text(verification.line())
        entry.insert(len(entry.children) - 1, line)  # before the COinS span, which stays last
