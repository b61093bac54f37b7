"""The identifier half of a check: records fetched politely, and gathered per citation.

The records of due identifiers are fetched and stored; each citation then gets the records
its PMID, PMCID and DOI name.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from ..checks.journals import journal_key
from ..model.fields import date_parts, first_page
from ..model.identifiers import DOI_SHAPE, PMCID_SHAPE, PMID_SHAPE
from ..model.kinds import Kind
from ..model.records import Citation
from ..model.registry_record import CitationRecords, Identified, Record
from ..model.targets import DAY, TRANSIENT, CheckResult, Outcome, Target, TargetKind
from ..model.titles import differs_by_parentheticals, titles_match
from ..net.fetch import Fetcher
from ..net.store import Store
from .registries import (
    Endpoints,
    Fetched,
    Wanted,
    ecitmatch,
    fetch_crossref,
    fetch_ncbi,
    title_search,
)

# A record is compared for this long after it was fetched; past it, the entry is "not
# verified" until the registry answers again. Its status (retractions) is re-checked weekly:
# that is the identifier's time-to-live (model.IDENTIFIER_TTL), and each check fetches the
# record anew.
RECORD_TTL = 30 * DAY
# How a DOI's check says the PubMed record of the entry's PMID names it (then no Crossref call).
IN_PUBMED_RECORD = "in the PubMed record "
FIELDS = (("pmid", TargetKind.pmid), ("pmcid", TargetKind.pmcid), ("doi", TargetKind.doi))
_SHAPES = {TargetKind.pmid: PMID_SHAPE, TargetKind.pmcid: PMCID_SHAPE, TargetKind.doi: DOI_SHAPE}


def citation_targets(citation: Citation) -> dict[str, Target]:
    """The well-formed identifiers a citation gives, by field name.

    A malformed one is the identifier rule's finding, and nothing is asked of a registry for
    it: "not verified" would only repeat that finding.
    """
    return {
        name: Target.identifier(kind, value)
        for name, kind in FIELDS
        if (value := (citation.get(name) or "").strip()) and _SHAPES[kind].fullmatch(value)
    }


def verify_identifiers(
    fetcher: Fetcher,
    cache: Store,
    due: Iterable[Target],
    citations: Iterable[Citation],
    endpoints: Endpoints,
    deadline: float,
) -> dict[Target, CheckResult]:
    """Fetch what is due (records are stored at once); the verdicts, for the caller to store.

    PubMed first: a PMCID or DOI that the PubMed record of the same entry's PMID lists is
    confirmed by that record, without a request; only the others are asked of PMC and
    Crossref.
    """
    due = list(due)
    pairs = _pmid_pairs(citations)
    fetched = fetch_ncbi(fetcher, [t for t in due if t.kind is TargetKind.pmid], endpoints,
                         deadline)  # fmt: skip
    pmcids = _confirm(cache, fetched, pairs, [t for t in due if t.kind is TargetKind.pmcid])
    fetched.merge(fetch_ncbi(fetcher, pmcids, endpoints, deadline))
    # A PMC record names its PMID: PubMed's record carries the retraction links.
    discovered = {
        Target.identifier(TargetKind.pmid, r.pmid)
        for t, r in fetched.records.items()
        if t.kind is TargetKind.pmcid and r.pmid
    }
    discovered = {t for t in discovered if t not in fetched.records and _stale(cache, t)}
    extra = fetch_ncbi(fetcher, discovered, endpoints, deadline)
    fetched.records |= extra.records
    cache.put_all(r for r in extra.results.values() if r.outcome not in TRANSIENT)
    dois = _confirm(cache, fetched, pairs, [t for t in due if t.kind is TargetKind.doi])
    fetched.merge(fetch_crossref(fetcher, dois, endpoints, deadline))
    cache.put_records((t, r.to_json()) for t, r in fetched.records.items())
    return fetched.results


def _confirm(
    cache: Store, fetched: Fetched, pairs: dict[Target, str], targets: list[Target]
) -> list[Target]:
    """Confirm each target its entry's PubMed record lists (in ``fetched``); the rest to ask."""
    ask: list[Target] = []
    for target in targets:
        pmid = pairs.get(target)
        record = fetched.records.get(Target.identifier(TargetKind.pmid, pmid)) if pmid else None
        if record is None and pmid:
            record = stored_record(cache, Target.identifier(TargetKind.pmid, pmid), cache.clock())
        listed = (
            ""
            if record is None
            else record.doi
            if target.kind is TargetKind.doi
            else (record.pmcid)
        )
        if listed and listed.lower() == target.value.lower():
            detail = f"{IN_PUBMED_RECORD}{pmid}"
            fetched.results[target] = CheckResult(target, Outcome.working, 200, detail)
        else:
            ask.append(target)
    return ask


def _stale(cache: Store, target: Target) -> bool:
    cached = cache.get(target)
    return cached is None or not cached.fresh(cache.clock())


def _pmid_pairs(citations: Iterable[Citation]) -> dict[Target, str]:
    """A DOI or PMCID -> the PMID an entry gives with it."""
    pairs: dict[Target, str] = {}
    for citation in citations:
        targets = citation_targets(citation)
        pmid = targets.get("pmid")
        for name in ("pmcid", "doi"):
            if pmid is not None and name in targets:
                pairs.setdefault(targets[name], pmid.value)
    return pairs


def stored_record(cache: Store, target: Target, now: float) -> Record | None:
    """The stored record of ``target`` while it is fresh (a row of another shape is none)."""
    stored = cache.record(target)
    if stored is None or now - stored.at > RECORD_TTL:
        return None
    try:
        return Record.from_json(stored.data)
    except (TypeError, ValueError, KeyError):
        # Written by another version, or damaged: as good as absent, fetched again, counted.
        cache.dropped.add(("records", str(target)))
        return None


def gather(citation: Citation, cache: Store, offline: bool) -> CitationRecords:
    """The records each identifier of ``citation`` names, from the cache."""
    now = cache.clock()
    found: list[Identified] = []
    pubmed: Record | None = None
    for name, target in citation_targets(citation).items():
        cached = cache.get(target)
        record = stored_record(cache, target, now)
        stored = cache.record(target)
        if cached is None:
            why = "not checked yet (offline build)" if offline else "not checked in time"
            found.append(
                Identified(name, target, record, stored.at if stored else 0.0, unverified=why)
            )
            continue
        outcome = cached.result.outcome
        if outcome is Outcome.broken:
            found.append(Identified(name, target, missing=True))
        elif outcome in TRANSIENT:
            found.append(
                Identified(
                    name,
                    target,
                    record,
                    stored.at if stored else 0.0,
                    unverified=cached.result.detail or outcome.value,
                )
            )
        else:
            # Only a PubMed record's confirmation counts: "registered at doi.org" is not one.
            detail = cached.result.detail or ""
            confirmed = detail if record is None and detail.startswith(IN_PUBMED_RECORD) else ""
            found.append(
                Identified(
                    name,
                    target,
                    record,
                    stored.at if stored and record else cached.checked_at,
                    exists=True,
                    confirmed_by=confirmed,
                )
            )
        if name == "pmcid" and record is not None and record.pmid and not citation.get("pmid"):
            pubmed = stored_record(cache, Target.identifier(TargetKind.pmid, record.pmid), now)
    return CitationRecords(tuple(found), pubmed, citation.title)


# A look-up for an identifier is repeated monthly: new records reach PubMed every day.
CANDIDATE_TTL = 30 * DAY
# Stored for an article ECitMatch did not find when no title search ran (make check).
TITLE_SEARCH_OWED = "title_search_owed"


def wanted_of(citation: Citation) -> Wanted | None:
    """What to look up for a journal article that has no identifier at all, else None."""
    journal = (citation.get("journal") or "").strip()
    if citation.kind is not Kind.article or citation_targets(citation) or not journal:
        return None
    parts = date_parts(citation.get("date"))
    facts = (citation.title, journal, citation.get("date"), citation.get("volume"),
             citation.get("pages"))  # fmt: skip
    digest = hashlib.sha256(json.dumps(facts).encode()).hexdigest()[:20]
    return Wanted(
        key=f"candidate:{digest}",
        title=citation.title,
        journal=journal,
        year=str(parts[0]) if parts else "",
        volume=(citation.get("volume") or "").strip(),
        first_page=first_page(citation.get("pages")),
    )


def _agrees(wanted: Wanted, record: Record) -> bool:
    """Whether the record is the wanted article: title (Citation bot's rule), journal, year.

    The year may differ by one: electronic and print years often do.
    """
    if not (titles_match(wanted.title, record.title)
            or differs_by_parentheticals(wanted.title, record.title)):  # fmt: skip
        return False
    if record.journal and journal_key(record.journal) != journal_key(wanted.journal):
        return False
    years = record.years()
    return not (wanted.year and years and min(abs(int(wanted.year) - y) for y in years) > 1)


def find_candidates(
    fetcher: Fetcher,
    cache: Store,
    citations: Iterable[Citation],
    endpoints: Endpoints,
    deadline: float,
    titles: bool,
) -> None:
    """Look up PMIDs for articles without identifiers; store what was found (or not).

    ECitMatch first (journal, year, volume, first page: many citations a request), then, with
    ``titles``, a title search (one request each); a candidate is kept only when its record
    agrees with the entry. Without ``titles`` an article ECitMatch does not find is stored as
    owing its title search, which a later search run (``make suggest-ids``, the weekly link
    check) makes: discovery, not verification, so ``make check`` does not wait for it. A
    fault stores nothing.
    """
    now = cache.clock()
    wanted: list[Wanted] = []
    for citation in citations:
        item = wanted_of(citation)
        stored = cache.lookup(item.key) if item else None
        due = stored is None or now - stored.at > CANDIDATE_TTL
        owed = titles and stored is not None and bool(stored.data.get(TITLE_SEARCH_OWED))
        if item and item not in wanted and (due or owed):
            wanted.append(item)
    if not wanted:
        return
    located = [w for w in wanted if w.volume and w.first_page]
    matched = ecitmatch(fetcher, located, endpoints, deadline)
    # A batch that met a fault concluded nothing: its articles wait for the next build.
    unanswered = {w.key for w in located} - set(matched)
    wanted = [w for w in wanted if w.key not in unanswered]
    proposals: dict[str, list[tuple[str, str]]] = {
        w.key: [(matched[w.key], "ECitMatch")] if matched.get(w.key) else [] for w in wanted
    }
    owing: list[tuple[str, dict[str, object]]] = []
    for item in wanted:
        if not proposals[item.key] and not titles:
            owing.append((item.key, {"pmid": "", TITLE_SEARCH_OWED: True}))
            proposals.pop(item.key)
        elif not proposals[item.key]:
            found = title_search(fetcher, item, endpoints, deadline)
            if found is None:
                proposals.pop(item.key)  # a fault: ask again next time
                continue
            proposals[item.key] = [(pmid, "title search") for pmid in found]
    pmids = {Target.identifier(TargetKind.pmid, p) for ps in proposals.values() for p, _ in ps}
    records = fetch_ncbi(fetcher, pmids, endpoints, deadline)
    answered: list[tuple[str, dict[str, object]]] = []
    for item in wanted:
        if item.key not in proposals:
            continue
        choice: dict[str, object] = {"pmid": ""}
        for pmid, via in proposals[item.key]:
            target = Target.identifier(TargetKind.pmid, pmid)
            if target not in records.results or records.results[target].outcome in TRANSIENT:
                choice = {}
                break  # not answered: nothing is concluded
            record = records.records.get(target)
            if record is not None and _agrees(item, record):
                choice = {"pmid": pmid, "title": record.title, "via": via}
                break
        if choice:
            answered.append((item.key, choice))
    cache.put_lookups(answered + owing)


def candidate_of(citation: Citation, cache: Store) -> tuple[bool, dict[str, object] | None]:
    """Whether a search was owed and has run, and the stored candidate PMID (None if none).

    Only a journal article without identifiers is searched for; for any other entry the
    search is not owed, so it counts as run.
    """
    item = wanted_of(citation)
    if item is None:
        return True, None
    stored = cache.lookup(item.key)
    if stored is None or stored.data.get(TITLE_SEARCH_OWED):
        return False, None
    return True, (stored.data if stored.data.get("pmid") else None)
