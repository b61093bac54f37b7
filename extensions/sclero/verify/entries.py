"""Each entry against its identifiers' records, page by page: what readers are told.

And what is found: mismatched records, retractions and other notices, unverified
identifiers, candidate PMIDs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..checks.notices import check_notices, notices_of
from ..checks.record import check_candidate, check_record, check_unverified
from ..model.evidence import study_kind
from ..model.records import Citation, Finding
from ..model.registry_record import MAX_AUTHORS, MORE_AUTHORS, CitationRecords, Record
from ..model.verification import Verification, VerificationState, page_digest
from .lookup import (
    RECORD_TTL,
    candidate_of,
    citation_targets,
    gather,
)

if TYPE_CHECKING:
    from ..net.memo import PageMemo
    from ..net.store import Store


@dataclass
class EntryVerdicts:
    """Every page's entries: verification by page and anchor, findings, what went unverified."""

    verification: dict[str, dict[str, Verification]] = field(default_factory=dict)
    # docname -> the digest of its verification (model/verification.page_digest).
    digests: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    not_verified: int = 0  # identifiers an offline build did not verify (said in one line)
    not_searched: int = 0  # articles without identifiers an offline build did not search for


def unverified_entries(citations: list[Citation]) -> EntryVerdicts:
    """Without a cache (a site with nothing to check): no entry is verified."""
    verdicts = EntryVerdicts()
    for c in citations:
        state = VerificationState.unverified if citation_targets(c) else VerificationState.none
        verdicts.verification.setdefault(c.docname, {})[c.anchor] = Verification(state)
    for docname, verified in verdicts.verification.items():
        verdicts.digests[docname] = page_digest({a: v.to_json() for a, v in verified.items()})
    return verdicts


def verify_entries(
    pages: Mapping[str, Sequence[Citation]], cache: Store, offline: bool, memo: PageMemo
) -> EntryVerdicts:
    """Compare every entry with its records; a page whose verdicts hold is not compared again.

    ``pages`` maps docnames to their entries, kept packed: a page whose verdicts hold is
    not read at all.
    """
    verdicts = EntryVerdicts()
    now = cache.clock()
    for docname in sorted(pages):
        if not len(pages[docname]):
            continue
        page = memo.get(docname, now, read_verified)
        if page is None:
            kept, horizon = _verify_page(list(pages[docname]), cache, offline)
            memo.put(docname, kept, horizon)
            page = read_verified(kept)
        verdicts.verification[docname] = page.verification
        verdicts.digests[docname] = page.digest
        verdicts.findings += page.findings
        verdicts.not_verified += page.not_verified
        verdicts.not_searched += page.not_searched
    memo.save()
    return verdicts


@dataclass
class _PageVerdicts:
    """One page's verdicts, read from their kept JSON."""

    verification: dict[str, Verification]
    findings: list[Finding]
    not_verified: int
    not_searched: int
    digest: str


def read_verified(kept: Any) -> _PageVerdicts:
    """A page's kept verdicts (raises on a shape this version did not write)."""
    return _PageVerdicts(
        {str(anchor): Verification.from_json(v) for anchor, v in kept["verification"].items()},
        [Finding.from_json(f) for f in kept["findings"]],
        int(kept["not_verified"]),
        int(kept["not_searched"]),
        page_digest(kept["verification"]),
    )


def _study(matching: tuple[Record, ...]) -> str:
    """The kind of study PubMed indexes (Crossref's work type only where PubMed has none)."""
    pubmed = [t for r in matching if r.source in ("PubMed", "PMC") for t in r.types]
    crossref = next((r.types[0] for r in matching if r.source == "Crossref" and r.types), "")
    kind = study_kind(pubmed, crossref)
    return kind.value if kind else ""


def _kept_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names kept for exports: all, or the first ``MAX_AUTHORS`` and then "et al."."""
    return names if len(names) <= MAX_AUTHORS else (*names[:MAX_AUTHORS], MORE_AUTHORS)


def _verify_page(
    page: list[Citation], cache: Store, offline: bool
) -> tuple[dict[str, object], float]:
    """One page's verdicts as kept (verification, findings, unverified), and until when."""
    verified: dict[str, Verification] = {}
    findings: list[Finding] = []
    not_verified = not_searched = 0
    cache.records_read = []
    try:
        for citation in page:
            found = gather(citation, cache, offline)
            verified[citation.anchor] = describe(found)
            findings += check_record(citation, found)
            findings += check_notices(citation, found)
            notes = check_unverified(citation, found, offline)
            if offline:
                not_verified += len(notes)  # said in one line (report.py), not per identifier
            else:
                findings += notes
            searched, candidate = candidate_of(citation, cache)
            findings += check_candidate(citation, candidate)
            if not searched:
                not_searched += 1  # said in one line, like the unverified identifiers
        now = cache.clock()
        # The first record read to go stale ends the verdicts' life (see verify._record).
        horizon = min((at + RECORD_TTL for at in cache.records_read if at + RECORD_TTL > now),
                      default=math.inf)  # fmt: skip
    finally:
        cache.records_read = None
    kept = {
        "verification": {anchor: v.to_json() for anchor, v in verified.items()},
        "findings": [f.to_json() for f in findings],
        "not_verified": not_verified,
        "not_searched": not_searched,
    }
    return kept, horizon


def describe(found: CitationRecords) -> Verification:
    """The verification of an entry from what its identifiers' registries hold."""
    if not found.identifiers:
        return Verification(VerificationState.none)
    verified = [i for i in found.identifiers if i.exists]
    if not verified or any(i.missing for i in found.identifiers):
        return Verification(VerificationState.unverified, notices=tuple(notices_of(found)))
    if any(not found.describes(r) for _, r in found.records):
        return Verification(VerificationState.mismatch)
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
        VerificationState.verified,
        against,
        day,
        author_record.nlm_authors() if author_record else "",
        author_record.source if author_record else "",
        tuple(notices_of(found)),
        _kept_names(author_record.authors) if author_record else (),
        _study(matching),
        recorded=bool(matching),
    )
