"""What readers are told about each entry's identifiers, and any notice about the article.

Verified against which registry and when, not yet verified, or none; the record's first
author; a retraction, expression of concern or correction as a banner linking the notice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..checks.notices import notices_of
from ..content.domain import sclero_domain
from ..model.registry_record import Notice, NoticeKind
from .coins import fill_coins
from .formats import Exported

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..verify.lookup import CitationRecords

BANNERS = {
    NoticeKind.retraction: (
        "Retracted",
        "This article was retracted. Its findings should not be relied on.",
    ),
    NoticeKind.concern: (
        "Expression of concern",
        "The journal has published an expression of concern about this article.",
    ),
    NoticeKind.correction: ("Corrected", "A correction to this article was published."),
}


@dataclass(frozen=True)
class Verification:
    """The reader-facing state of one entry (compared between builds to rewrite pages)."""

    state: str  # "verified", "unverified", "mismatch" or "none"
    against: str = ""  # "PubMed", "Crossref", "PMC", "doi.org"
    on: str = ""  # the day the registry answered, ISO
    authors: str = ""  # first author et al., from the record
    authors_from: str = ""
    notices: tuple[Notice, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The verification as kept between builds (linkcheck/memo.py)."""
        # Field by field: dataclasses.asdict's deep copy was most of a full build's cost here.
        return {"state": self.state, "against": self.against, "on": self.on,
                "authors": self.authors, "authors_from": self.authors_from,
                "notices": [asdict(n) for n in self.notices]}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verification:
        """A verification read back."""
        return cls(**{**data, "notices": tuple(Notice.from_json(n) for n in data["notices"])})

    @property
    def retracted(self) -> bool:
        """The entry's article was retracted or withdrawn."""
        return any(n.kind is NoticeKind.retraction for n in self.notices)

    def line(self) -> str:
        """``Verified against PubMed, 2026-11-20``, or why not."""
        if self.state == "verified":
            return f"Verified against {self.against}, {self.on}"
        if self.state == "unverified":
            return "Identifier not yet verified"
        if self.state == "mismatch":
            return "Identifier under review: its record names another paper"
        return "No identifier"


def describe(found: CitationRecords) -> Verification:
    """The verification of an entry from what its identifiers' registries hold."""
    if not found.identifiers:
        return Verification("none")
    verified = [i for i in found.identifiers if i.exists]
    if not verified or any(i.missing for i in found.identifiers):
        return Verification("unverified", notices=tuple(notices_of(found)))
    if any(not found.describes(r) for _, r in found.records):
        return Verification("mismatch")
    matching = found.matching
    if matching:
        against = matching[0].source
        at = max(i.verified_at for i in verified)
    else:
        # Registered (doi.org) or confirmed by another record, with no record of its own.
        against = "PubMed" if any(i.confirmed_by for i in verified) else "doi.org"
        at = max(i.verified_at for i in verified)
    day = datetime.fromtimestamp(at, UTC).date().isoformat()
    author_record = next((r for r in matching if r.authors), None)
    return Verification(
        "verified",
        against,
        day,
        author_record.first_author() if author_record else "",
        author_record.source if author_record else "",
        tuple(notices_of(found)),
    )


def _banner(notice: Notice) -> nodes.container:
    title, text = BANNERS[notice.kind]
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
    states = domain.build.verification
    citations = {c.anchor: c for c in domain.citations.get(docname, [])}
    for entry in doctree.findall(nodes.container):
        if "sclero-citation" not in entry["classes"] or not entry["ids"]:
            continue
        citation = citations.get(entry["ids"][0])
        if citation is None:
            continue
        verification = states.get((docname, entry["ids"][0]))
        fill_coins(entry, Exported(citation, verification))
        if verification is None:
            continue
        for offset, notice in enumerate(verification.notices):
            entry.insert(offset, _banner(notice))
        if verification.retracted:
            entry["classes"].append("sclero-retracted")
        line = nodes.paragraph(classes=["sclero-citation-verification", verification.state])
        if verification.authors:
            line += nodes.Text(
                f"{verification.authors} (authors from the {verification.authors_from} record) · "
            )
        line += nodes.Text(verification.line())
        entry.insert(len(entry.children) - 1, line)  # before the COinS span, which stays last
