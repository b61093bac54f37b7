"""Rules on a topic page's front matter: migration and review dates, the reviewer, legacy URL."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from ..model.identifiers import safe_url
from ..model.records import Finding
from ..model.rules import Subtype


@dataclass(frozen=True)
class PageFacts:
    """What a topic page's front matter says, read and checked."""

    migrated: date | None = None
    reviewed: date | None = None
    reviewer: str = ""
    legacy_url: str = ""
    legacy_as_of: str = ""
    next_review: date | None = None  # when the next review is due (three years at most)
    author: str = ""  # who wrote the page's own text, and in what role


# The planned review cycle: the NHS Standard for Creating Health Content and PIF TICK ask for
# a review at least every three years.
REVIEW_YEARS = 3


def review_due(reviewed: date) -> date:
    """Three years after ``reviewed`` (a 29 February review falls due on 28 February)."""
    try:
        return reviewed.replace(year=reviewed.year + REVIEW_YEARS)
    except ValueError:
        return reviewed.replace(year=reviewed.year + REVIEW_YEARS, day=28)


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def read_front_matter(
    docname: str, metadata: Mapping[str, object], today: date
) -> tuple[PageFacts, list[Finding]]:
    """The page's facts and the findings its front matter makes (reported at line 1)."""
    found: list[Finding] = []

    def problem(message: str) -> None:
        found.append(Finding(docname, 1, Subtype.reviewed, f"front matter {message}"))

    facts: dict[str, date] = {}
    for key in ("migrated", "reviewed"):
        raw = str(metadata.get(key, "")).strip()
        if not raw:
            continue
        value = _date(raw)
        if value is None:
            problem(f"{key}: {raw!r} is not a YYYY-MM-DD date")
        elif value > today:
            problem(f"{key}: {raw} is in the future")
        else:
            facts[key] = value
    reviewer = " ".join(str(metadata.get("reviewed-by", "")).split())
    if "reviewed" in facts and not reviewer:
        problem("reviewed: needs reviewed-by: <name> (<role>), the clinician who reviewed it")
        facts.pop("reviewed")
    if reviewer and "(" not in reviewer:
        problem(f"reviewed-by: {reviewer!r} needs the reviewer's role: 'Jane Doe (rheumatologist)'")
    next_review = _next_review(metadata, facts.get("reviewed"), problem)
    if next_review is not None and next_review < today:
        found.append(Finding(docname, 1, Subtype.review_due,
                             f"the page's review was due on {next_review.isoformat()}: review it, "
                             "then update reviewed: and reviewed-by:"))  # fmt: skip
    legacy = str(metadata.get("legacy-url", "")).strip()
    if legacy and safe_url(legacy) is None:
        problem(f"legacy-url: {legacy!r} is not an http(s) address")
        legacy = ""
    return (
        PageFacts(
            migrated=facts.get("migrated"),
            reviewed=facts.get("reviewed"),
            reviewer=reviewer if "reviewed" in facts else "",
            legacy_url=legacy,
            legacy_as_of=str(metadata.get("legacy-as-of", "")).strip(),
            next_review=next_review,
            author=" ".join(str(metadata.get("author", "")).split()),
        ),
        found,
    )


def _next_review(
    metadata: Mapping[str, object], reviewed: date | None, problem: Callable[[str], None]
) -> date | None:
    """``next-review:`` as given (at most three years after ``reviewed:``), else the default."""
    raw = str(metadata.get("next-review", "")).strip()
    if reviewed is None:
        if raw:
            problem(f"next-review: {raw!r} needs reviewed: (the review it follows)")
        return None
    latest = review_due(reviewed)
    if not raw:
        return latest
    given = _date(raw)
    if given is None:
        problem(f"next-review: {raw!r} is not a YYYY-MM-DD date")
        return latest
    if given > latest:
        problem(f"next-review: {raw} is more than {REVIEW_YEARS} years after reviewed: "
                f"{reviewed.isoformat()}; at most {latest.isoformat()}")  # fmt: skip
        return latest
    return given


def disclosure_unset(setting: str, label: str, shown: str, conf: str) -> Finding:
    """A disclosure nobody stated in conf.py (every topic page says so)."""
    return Finding("", 0, Subtype.disclosure,
                   f'{setting} is not set in conf.py: every topic page says "{label}: {shown}"',
                   path=conf)  # fmt: skip
