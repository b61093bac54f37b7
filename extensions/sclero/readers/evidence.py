"""The line at the top of each topic page that says what kinds of evidence it cites."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from docutils import nodes

from ..checks.evidence import check_review_age
from ..content.domain import is_topic, sclero_domain
from ..model.evidence import REVIEWS, Evidence, StudyKind, evidence_line
from ..model.fields import date_parts
from ..model.kinds import Kind
from ..model.records import Citation
from ..model.verification import Verification, VerificationState
from .topic_page import today_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def evidence_of(citations: Sequence[Citation], verification: dict[str, Verification]) -> Evidence:
    """A page's citations counted by the kind their verified records name."""
    evidence = Evidence({})
    for citation in citations:
        if citation.kind is not Kind.article:
            evidence.news_and_web += 1
            continue
        found = verification.get(citation.anchor)
        if found is None or found.state is not VerificationState.verified:
            evidence.unverified += 1
            continue
        if not found.recorded:
            evidence.unrecorded += 1  # registered, but no record says what kind it is
            continue
        if not found.study:
            evidence.other_studies += 1
            continue
        kind = StudyKind(found.study)
        evidence.kinds[kind] = evidence.kinds.get(kind, 0) + 1
        year = date_parts(citation.get("date"))[:1]
        if kind in REVIEWS and year:
            evidence.newest_review = max(evidence.newest_review or 0, year[0])
    return evidence


def count_evidence(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Each topic page's evidence, and a note where its newest review is old (env-updated).

    After the verification (start_linkcheck, 600): the kinds come from the records. A page
    neither read again nor verified differently keeps its count from earlier builds.
    """
    domain = sclero_domain(env)
    state = domain.build
    kept: dict[str, Evidence] = domain.data["evidence"]
    fresh = state.read.pages_read | state.verify.pages_reverified
    states = state.verify.verification
    year = today_of(app).year
    by_page: dict[str, dict[str, Verification]] = {}
    for docname, citations in sorted(domain.citations.items()):
        if not is_topic(docname, app.config):
            continue
        if docname in fresh or docname not in kept:
            if not by_page:
                # Grouped once: a per-page scan of every entry's state grows with
                # pages × entries.
                for (doc, anchor), verified in states.items():
                    by_page.setdefault(doc, {})[anchor] = verified
            kept[docname] = evidence_of(citations, by_page.get(docname, {}))
        state.readers.evidence[docname] = kept[docname]
        if found := check_review_age(docname, kept[docname], year):
            state.readers.findings.append(found)
    return []


def render_evidence(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The evidence line under the page's title (doctree-resolved)."""
    evidence = sclero_domain(app.env).build.readers.evidence.get(docname)
    section = next(iter(doctree.findall(nodes.section)), None)
    if evidence is None or section is None:
        return
    title = section.first_child_matching_class(nodes.title)
    text = evidence_line(evidence)
    line = nodes.paragraph(text, text, classes=["sclero-evidence"])
    section.insert(0 if title is None else title + 1, line)
