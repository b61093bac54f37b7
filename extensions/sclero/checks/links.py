"""Rules on external links: what the newest stored result of a link means for each occurrence."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model.link_parsing import redact
from ..model.records import Finding
from ..model.rules import Subtype
from ..model.targets import HOUR, TRANSIENT, Occurrence, Outcome, Target
from ..net.store import CachedResult, Store


@dataclass(frozen=True)
class Verdict:
    """What one occurrence of a link means for its page."""

    subtype: Subtype | None
    message: str = ""


def judge(
    occurrence: Occurrence,
    target: Target,
    fragment: str,
    cached: CachedResult | None,
    now: float,
    damping: float,
    offline: bool,
) -> Verdict:
    """The finding (if any) for one occurrence, from the newest result the cache holds."""
    url = redact(occurrence.url)
    if cached is None:
        if offline:
            return Verdict(
                Subtype.link_unchecked, f"{url} has not been checked yet (offline build)"
            )
        return Verdict(
            Subtype.link_pending, f"{url} was not checked: the time budget ran out first"
        )
    result = cached.result
    outcome = result.outcome
    detail = redact(result.detail) or str(result.status)
    if outcome is Outcome.anchor and fragment not in result.missing_anchors:
        return Verdict(None)  # the page lacks other fragments, not this link's
    if outcome is Outcome.working:
        return Verdict(None)
    if outcome is Outcome.redirected:
        return Verdict(Subtype.link_redirected, f"{url} moved permanently; use {result.new_url}")
    if outcome is Outcome.blocked:
        return Verdict(
            Subtype.link_blocked,
            f"{url} is unverifiable: the site refuses automated checks ({result.status})",
        )
    if outcome is Outcome.refused:
        return Verdict(Subtype.link_refused, f"{url} was not fetched: {detail}")
    if outcome in TRANSIENT:
        if target.is_identifier:
            return Verdict(None)  # the entry's "not verified" note says it (checks/record.py)
        return Verdict(
            Subtype.link_transient,
            f"{url} not verified: {outcome.value.replace('_', ' ')} ({detail}); "
            "a network or server fault, never counted as broken",
        )
    if target.is_identifier and outcome is Outcome.broken:
        # The registry is authoritative: no damping for "no such identifier".
        return Verdict(Subtype.link_identifier, f"{target}: {detail}")
    if not cached.confirmed(now, damping):
        return Verdict(
            Subtype.link_unconfirmed,
            f"{url} failed once ({detail}); it counts as broken if it still fails "
            f"{damping / HOUR:g} h later",
        )
    subtype = {Outcome.anchor: Subtype.link_anchor, Outcome.soft_404: Subtype.link_soft_404}.get(
        outcome, Subtype.link_broken
    )
    return Verdict(subtype, f"{url} is broken ({detail})")


def unusable_link(docname: str, line: int, uri: str, error: Exception, citation: str) -> Finding:
    """A link that cannot be checked at all (no host, a bad port, ...)."""
    return Finding(
        docname,
        line,
        Subtype.url,
        f"link {redact(uri)!r} cannot be checked: {error}",
        citation=citation,
    )


def store_problem(cache: Store) -> Finding:
    """A located finding for a store that could not be used as it is (at the file itself)."""
    return Finding("", 0, Subtype.link_cache, f"link cache {cache.problem}", path=str(cache.path))


def store_rows_dropped(cache: Store) -> Finding:
    """One note counting the store's unreadable rows (dropped, and made again)."""
    tables = Counter(table for table, _ in cache.dropped)
    counts = ", ".join(f"{n} in {table}" for table, n in sorted(tables.items()))
    rows = "1 row" if len(cache.dropped) == 1 else f"{len(cache.dropped)} rows"
    return Finding(
        "",
        0,
        Subtype.link_cache_rows,
        f"link cache: {rows} could not be read and were dropped ({counts}); "
        "they are fetched or made again",
        path=str(cache.path),
    )


def not_checked_notes(counts: dict[str, int]) -> list[tuple[Subtype, str]]:
    """What a build did not check, one line each, not once per link or identifier.

    Links and identifiers: an offline build. Searches for a candidate PMID: any build but a
    full one (make suggest-ids, make linkcheck), since searching is discovery.
    """
    notes = []
    if links := counts.get("links", 0):
        notes.append((Subtype.link_unchecked,
                      f"{links} external link occurrences not checked yet "
                      "(offline build; make check or make linkcheck checks them)"))  # fmt: skip
    if identifiers := counts.get("identifiers", 0):
        notes.append((Subtype.unverified,
                      f"{identifiers} identifiers not verified against their records "
                      "(offline build; make check verifies them)"))  # fmt: skip
    if searches := counts.get("searches", 0):
        articles = "1 journal article" if searches == 1 else f"{searches} journal articles"
        notes.append((Subtype.id_candidate,
                      f"{articles} without an identifier not searched for a candidate PMID "
                      "(make suggest-ids and the weekly link check search)"))  # fmt: skip
    return notes
