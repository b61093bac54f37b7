"""Rules on a topic page's front matter: migration and review dates, the reviewer, legacy URL."""

from __future__ import annotations

from collections.abc import Mapping
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
        ),
        found,
    )
