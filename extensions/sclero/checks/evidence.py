"""Rules on a page's evidence as a whole: its newest review, by the records' indexing."""

from __future__ import annotations

from ..model.evidence import REVIEW_YEARS, Evidence
from ..model.records import Finding
from ..model.rules import Subtype


def check_review_age(docname: str, evidence: Evidence, year: int) -> Finding | None:
    """A note when a page cites no review, or only reviews older than five years.

    Said only once some articles are verified: without records the kinds are not known.
    """
    if not evidence.verified:
        return None
    if evidence.newest_review is None:
        message = ("this page cites no review (guideline, systematic review, meta-analysis or "
                   "review) among its verified articles; look for a recent one")  # fmt: skip
    elif year - evidence.newest_review > REVIEW_YEARS:
        message = (f"the newest review cited here is from {evidence.newest_review}, more than "
                   f"{REVIEW_YEARS} years ago; look for a newer one")  # fmt: skip
    else:
        return None
    return Finding(docname, 1, Subtype.review_age, message)
