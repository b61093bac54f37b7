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
