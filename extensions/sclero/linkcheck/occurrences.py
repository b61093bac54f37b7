"""Every link occurrence judged, page by page: its findings and its row of link-report.json."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..checks.links import judge
from ..model.jsontext import EncodedList
from ..model.link_parsing import redact
from ..model.records import Citation, Finding
from ..model.report_schema import LinkRowJSON
from ..model.rules import Subtype
from ..model.targets import Keyed, Occurrence, Target
from ..verify.lookup import citation_targets

if TYPE_CHECKING:
    from ..net.memo import PageMemo
    from ..net.store import CachedResult, Store
    from .plan import Plan


@dataclass
class OccurrenceVerdicts:
    """Report rows (encoded), findings, and how many occurrences went unchecked (offline)."""

    rows: EncodedList = field(default_factory=EncodedList)
    findings: list[Finding] = field(default_factory=list)
    unchecked: int = 0


def judge_occurrences(
    plan: Plan,
    cache: Store,
    offline: bool,
    damping: float,
    citations: Mapping[str, Sequence[Citation]],
    memo: PageMemo,
) -> OccurrenceVerdicts:
    """Judge every occurrence; a page whose verdicts hold is not judged again (nor read)."""
    verdicts = OccurrenceVerdicts()
    now = cache.clock()
    for docname in sorted(plan.pages):
        if not len(plan.pages[docname]):
            continue
        judged = memo.get(docname, now, read_judged)
        if judged is None:
            page = {c.anchor: c for c in citations.get(docname, [])}
            items = list(plan.pages[docname])
            kept = _judge_page(items, plan, cache, offline, damping, page, now)
            memo.put(docname, kept)
            judged = read_judged(kept)
        verdicts.rows += judged.rows
        verdicts.findings += judged.findings
        verdicts.unchecked += judged.unchecked
    memo.save()
    return verdicts


def read_judged(kept: Any) -> OccurrenceVerdicts:
    """A page's kept verdicts (raises on a shape this version did not write)."""
    rows = kept["rows"]
    if not isinstance(rows, list) or not all(isinstance(row, str) for row in rows):
        raise TypeError("a kept row is not encoded JSON")
    # Rows stay encoded: link-report.json writes them as they are.
    return OccurrenceVerdicts(
        EncodedList(rows),
        [Finding.from_json(f) for f in kept["findings"]],
        int(kept["unchecked"]),
    )


def _judge_page(
    items: list[Keyed],
    plan: Plan,
    cache: Store,
    offline: bool,
    damping: float,
    citations: dict[str, Citation],
    now: float,
) -> dict[str, object]:
    """One page's verdicts as kept: rows (JSON), findings, how many went unchecked."""
    lookups: dict[Target, CachedResult | None] = {}
    rows: list[str] = []
    found: list[Finding] = []
    unchecked = 0
    for item in items:
        occurrence, target = item.occurrence, item.target
        if plan.ignored(target):
            rows.append(_row(occurrence, target, None, "ignored", None))
            continue
        if target not in lookups:
            lookups[target] = cache.get(target)
        cached = lookups[target]
        verdict = judge(occurrence, target, item.fragment, cached, now, damping, offline)
        message = verdict.message
        if verdict.subtype is Subtype.link_blocked:
            citation = citations.get(occurrence.citation)
            verified = _verified_identifiers(cache, citation) if citation else []
            if verified:
                message += f"; the citation's {' and '.join(verified)} exists"
        outcome = cached.result.outcome.value if cached else ("unchecked" if offline else "pending")
        rows.append(_row(occurrence, target, cached, outcome, verdict.subtype))
        if verdict.subtype is Subtype.link_unchecked:
            unchecked += 1  # counted in one line (report.py); the row says it of each
        elif verdict.subtype is not None:
            found.append(
                Finding(
                    occurrence.docname,
                    occurrence.lineno,
                    verdict.subtype,
                    message,
                    citation=occurrence.citation,
                )
            )
    return {"rows": rows, "findings": [f.to_json() for f in found], "unchecked": unchecked}


def _row(
    occurrence: Occurrence,
    target: Target,
    cached: CachedResult | None,
    outcome: str,
    subtype: Subtype | None,
) -> str:
    """One row of link-report.json, encoded."""
    result = cached.result if cached else None
    row: LinkRowJSON = {
        "url": redact(occurrence.url),
        "docname": occurrence.docname,
        "lineno": occurrence.lineno,
        "citation": occurrence.citation,
        "checked": {"kind": target.kind.value, "value": redact(target.value)},
        "outcome": outcome,
        "status": result.status if result else 0,
        "detail": redact(result.detail) if result else "",
        "new_url": result.new_url if result else "",
        "missing_anchors": sorted(result.missing_anchors) if result else [],
        "rule": f"sclero.{subtype.value}" if subtype is not None else "",
    }
    return json.dumps(row, ensure_ascii=False)


def _verified_identifiers(cache: Store, citation: Citation) -> list[str]:
    """Which of the citation's DOI and PMID the registries confirmed."""
    labels = []
    for name, target in citation_targets(citation).items():
        if name == "pmcid":
            continue
        cached = cache.get(target)
        if cached is not None and cached.result.outcome.value == "working":
            labels.append(name.upper())
    return sorted(labels, key=lambda label: ("DOI", "PMID").index(label))
