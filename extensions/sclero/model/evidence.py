"""The kind of study a record says a paper is, in words a patient understands.

Taken only from a registry's indexing (PubMed's publication types; Crossref's work type only
where PubMed has none), never from the title: a missing type stays missing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class StudyKind(enum.StrEnum):
    """What kind of evidence a paper is (the order is the order of precedence)."""

    guideline = "guideline"
    systematic_review = "systematic_review"
    meta_analysis = "meta_analysis"
    randomised_trial = "randomised_trial"
    clinical_trial = "clinical_trial"
    observational = "observational"
    case_report = "case_report"
    review = "review"
    editorial = "editorial"
    preprint = "preprint"


@dataclass(frozen=True)
class StudyKindInfo:
    """How a kind is named on an entry, and which registry types name it."""

    label: str
    pubmed: tuple[str, ...]  # PubMed publication types, lower case
    crossref: tuple[str, ...] = ()  # Crossref work types (only where PubMed has none)


STUDY_KINDS: dict[StudyKind, StudyKindInfo] = {
    StudyKind.guideline: StudyKindInfo("Guideline", ("practice guideline", "guideline")),
    StudyKind.systematic_review: StudyKindInfo("Systematic review", ("systematic review",)),
    StudyKind.meta_analysis: StudyKindInfo("Meta-analysis", ("meta-analysis",)),
    StudyKind.randomised_trial: StudyKindInfo(
        "Randomised trial", ("randomized controlled trial", "pragmatic clinical trial")
    ),
    StudyKind.clinical_trial: StudyKindInfo(
        "Clinical trial",
        (
            "clinical trial",
            "clinical trial, phase i",
            "clinical trial, phase ii",
            "clinical trial, phase iii",
            "clinical trial, phase iv",
            "controlled clinical trial",
        ),
    ),
    StudyKind.observational: StudyKindInfo("Observational study", ("observational study",)),
    StudyKind.case_report: StudyKindInfo("Case report", ("case reports",)),
    StudyKind.review: StudyKindInfo("Review", ("review",)),
    StudyKind.editorial: StudyKindInfo("Editorial or letter", ("editorial", "letter", "comment")),
    StudyKind.preprint: StudyKindInfo("Preprint", ("preprint",), ("posted-content",)),
}


def study_kind(pubtypes: Iterable[str], crossref_type: str = "") -> StudyKind | None:
    """The first kind (by precedence) the record's types name; None when they name none."""
    types = {t.strip().lower() for t in pubtypes}
    for kind, info in STUDY_KINDS.items():
        if types & set(info.pubmed):
            return kind
    if not types:
        for kind, info in STUDY_KINDS.items():
            if crossref_type in info.crossref:
                return kind
    return None


# How the kinds are counted on a page's summary line, in the order they are said.
BUCKETS: tuple[tuple[str, str, frozenset[StudyKind]], ...] = (
    ("guideline", "guidelines", frozenset({StudyKind.guideline})),
    ("systematic review", "systematic reviews",
     frozenset({StudyKind.systematic_review, StudyKind.meta_analysis})),
    ("review", "reviews", frozenset({StudyKind.review})),
    ("trial", "trials", frozenset({StudyKind.randomised_trial, StudyKind.clinical_trial})),
)  # fmt: skip
# The kinds that summarise a field: the newest of them dates the page's evidence.
REVIEWS = frozenset({StudyKind.guideline, StudyKind.systematic_review,
                     StudyKind.meta_analysis, StudyKind.review})  # fmt: skip
# A review older than this many years may have been overtaken (Wikipedia's WP:MEDRS).
REVIEW_YEARS = 5


@dataclass
class Evidence:
    """What a page cites, counted: studies by kind, other studies, news and web items."""

    kinds: dict[StudyKind, int]
    other_studies: int = 0  # verified articles whose record names no kind above
    unverified: int = 0  # articles not verified: their kind is not known
    unrecorded: int = 0  # verified (a DOI registered at doi.org) but with no record to say a kind
    news_and_web: int = 0
    newest_review: int | None = None  # the year of the newest review cited

    @property
    def verified(self) -> int:
        """Articles whose kind is known or known to be none of the above."""
        return sum(self.kinds.values()) + self.other_studies


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def evidence_line(evidence: Evidence) -> str:
    """``Evidence cited here: 3 systematic reviews, 2 trials, 11 other studies, …``."""
    parts = []
    for one, many, kinds in BUCKETS:
        if count := sum(evidence.kinds.get(kind, 0) for kind in kinds):
            parts.append(_count(count, one, many))
    if evidence.other_studies:
        parts.append(_count(evidence.other_studies, "other study", "other studies"))
    if evidence.unrecorded:
        parts.append(_count(evidence.unrecorded, "article", "articles") + " of unknown kind")
    if evidence.unverified:
        parts.append(_count(evidence.unverified, "article", "articles") + " not yet verified")
    if evidence.news_and_web:
        parts.append(_count(evidence.news_and_web, "news or web item", "news and web items"))
    text = "Evidence cited here: " + (", ".join(parts) if parts else "none") + "."
    if evidence.verified and evidence.newest_review is not None:
        text += f" The newest review is from {evidence.newest_review}."
    elif evidence.verified:
        text += " No review is cited here."
    return text
