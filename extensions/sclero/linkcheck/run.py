"""One build's link check, from the end of reading to the end of the build.

At ``env-updated`` the cache is opened and what is due is checked: identifiers in the
foreground (their records decide what readers see on each entry, so the pages wait for
them), plain URLs on a background thread while Sphinx writes the pages (nothing written
depends on them). At ``build-finished`` the answers are stored and every occurrence judged.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.errors import ConfigError

from ..checks.context import finding
from ..checks.notices import check_notices
from ..checks.record import check_record, clip
from ..domain import sclero_domain
from ..records import Citation, Finding
from ..subtypes import Subtype
from ..verification import Verification, describe
from .cache import LinkCache
from .fetch import Fetcher, FetchSettings, HostProfile
from .judge import judge
from .linkchecker_backend import LinkCheckerBackend
from .model import HOUR, TRANSIENT, CheckResult, Occurrence, Target
from .plan import Plan, key_occurrences, plan
from .registries import Endpoints
from .verify import (
    candidate_of,
    citation_targets,
    find_candidates,
    gather,
    verify_identifiers,
    wanted_of,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from ..state import BuildState

MODES = ("offline", "budget", "full")
OCCURRENCE_FIELDS = fields(Occurrence)  # the columns an occurrence adds to a report row


def link_mode(config: Config) -> str:
    """offline, budget or full: the ``SCLERO_LINKCHECK`` environment variable wins."""
    return os.environ.get("SCLERO_LINKCHECK") or str(config.sclero_linkcheck_mode)


def check_link_config(app: Sphinx, config: Config) -> None:
    """Validate the link-check settings (config-inited)."""
    mode = link_mode(config)
    if mode not in MODES:
        raise ConfigError(
            f"sclero_linkcheck_mode (or SCLERO_LINKCHECK) must be one of {MODES}, not {mode!r}"
        )
    if config.sclero_linkcheck_backend not in ("builtin", "linkchecker"):
        raise ConfigError("sclero_linkcheck_backend must be 'builtin' or 'linkchecker'")
    for host, profile in config.sclero_linkcheck_profiles.items():
        if not (
            isinstance(profile, (tuple, list))
            and len(profile) == 2
            and all(isinstance(n, (int, float)) for n in profile)
            and profile[0] > 0
            and profile[1] >= 1
        ):
            raise ConfigError(
                f"sclero_linkcheck_profiles[{host!r}] must be (requests per second, at once)"
            )
    for pattern in config.sclero_linkcheck_ignore:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as error:
            raise ConfigError(
                f"sclero_linkcheck_ignore: {pattern!r} is not a regex ({error})"
            ) from error


def _profiles(config: Config, endpoints: Endpoints) -> dict[str, HostProfile]:
    """NCBI 3/s (10/s with an API key), one at a time; Crossref's published limits."""
    ncbi_rate = 10.0 if endpoints.api_key else 3.0
    # Crossref (December 2025): polite pool (with a contact) 10/s and 3 at once, else 5/s, 1.
    crossref = HostProfile(10.0, 3) if endpoints.email else HostProfile(5.0, 1)
    profiles = {
        "eutils.ncbi.nlm.nih.gov": HostProfile(ncbi_rate, 1),
        "pubmed.ncbi.nlm.nih.gov": HostProfile(ncbi_rate, 1),
        "pmc.ncbi.nlm.nih.gov": HostProfile(ncbi_rate, 1),
        "www.ncbi.nlm.nih.gov": HostProfile(ncbi_rate, 1),
        "api.crossref.org": crossref,
        "doi.org": HostProfile(5.0, 2),
    }
    for host, (rate, concurrency) in config.sclero_linkcheck_profiles.items():
        profiles[host] = HostProfile(float(rate), int(concurrency))
    return profiles


def endpoints_of(config: Config) -> Endpoints:
    """The registries, and the contact and key the environment or conf.py give."""
    return Endpoints(
        eutils=config.sclero_eutils,
        crossref=config.sclero_crossref,
        doi_handles=config.sclero_doi_api,
        api_key=os.environ.get("NCBI_API_KEY", ""),
        email=os.environ.get("SCLERO_CONTACT_EMAIL") or config.sclero_contact_email,
    )


def cache_path(app: Sphinx) -> Path:
    """``SCLERO_LINKCHECK_CACHE``, else ``sclero_linkcheck_cache``, else .linkcache/ by conf.py."""
    configured = os.environ.get("SCLERO_LINKCHECK_CACHE") or app.config.sclero_linkcheck_cache
    return Path(configured) if configured else Path(app.confdir) / ".linkcache" / "links.sqlite3"


def wall_clock(config: Config) -> Callable[[], float]:
    """The clock the cache records: the real one, or ``sclero_linkcheck_now`` (tests)."""
    fixed = float(config.sclero_linkcheck_now)
    return (lambda: fixed) if fixed else time.time


@dataclass
class LinkCheck:
    """A link check under way while the pages are written."""

    mode: str
    cache: LinkCache
    plan: Plan
    fetcher: Fetcher | None = None
    plain: Fetcher | LinkCheckerBackend | None = None
    future: Future[dict[Target, CheckResult]] | None = None
    results: dict[Target, CheckResult] = field(default_factory=dict)


def _settings(config: Config, endpoints: Endpoints) -> FetchSettings:
    contact = config.sclero_linkcheck_contact or "no contact set"
    return FetchSettings(
        user_agent=f"SCLERO-topics-linkcheck/1.0 (+{contact})",
        timeout=config.sclero_linkcheck_timeout,
        retry_after_cap=config.sclero_linkcheck_retry_after_cap,
        profiles=_profiles(config, endpoints),
        allowed_hosts=frozenset(config.sclero_linkcheck_allowed_hosts),
    )


def _cache_finding(cache: LinkCache) -> Finding:
    """A located finding for a cache that could not be used as it is (at the file itself)."""
    return Finding("", 0, Subtype.link_cache, f"link cache {cache.problem}", path=str(cache.path))


def start_linkcheck(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Open the cache, check what the mode allows, verify every entry (env-updated).

    Returns the pages whose verification changed since they were written, so that Sphinx
    writes them again although they were not read again.
    """
    config = app.config
    domain = sclero_domain(env)
    state = domain.build
    mode = link_mode(config)
    citations = [c for docname in sorted(domain.citations) for c in domain.citations[docname]]
    occurrences = [o for d in sorted(domain.data["links"]) for o in domain.data["links"][d]]
    if not occurrences and not any(citation_targets(c) or wanted_of(c) for c in citations):
        state.link_summary = {"mode": mode, "requests": 0, "checked": 0}
        return _verify_all(state, domain.data, citations, None)
    cache = LinkCache(cache_path(app), clock=wall_clock(config))
    check = LinkCheck(mode, cache, plan(key_occurrences(occurrences), cache, _ignored(config)))
    state.link_check = check
    if mode != "offline":
        _check_due(app, check, citations)
    return _verify_all(state, domain.data, citations, check)


def _ignored(config: Config) -> tuple[str, ...]:
    return tuple(config.sclero_linkcheck_ignore)


def _check_due(app: Sphinx, check: LinkCheck, citations: list[Citation]) -> None:
    """Start the plain URLs, verify the identifiers; under -j, finish the URLs before writing."""
    config = app.config
    endpoints = endpoints_of(config)
    settings = _settings(config, endpoints)
    budget = (
        config.sclero_linkcheck_budget
        if check.mode == "budget"
        else config.sclero_linkcheck_deadline
    )
    deadline = settings.clock() + budget
    check.fetcher = fetcher = Fetcher(settings)
    check.plain = (
        LinkCheckerBackend(settings)
        if config.sclero_linkcheck_backend == "linkchecker"
        else fetcher
    )
    urls, fragments = check.plan.urls, check.plan.fragments
    plain = check.plain

    def plain_work() -> dict[Target, CheckResult]:
        return plain.check_all(urls, deadline, {t: fragments[t] for t in urls})

    background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sclero-linkcheck")
    check.future = background.submit(plain_work)
    background.shutdown(wait=False)  # the thread ends with the work; nothing else is queued
    identifiers = verify_identifiers(
        fetcher, check.cache, check.plan.identifiers, citations, endpoints, deadline
    )
    check.results |= identifiers
    check.cache.put_all(identifiers.values())
    find_candidates(fetcher, check.cache, citations, endpoints, deadline)
    if app.parallel > 1:
        # Parallel writers are forked processes; a fork must not inherit running threads.
        check.future.result()


def _verify_all(
    state: BuildState, data: dict[str, Any], citations: list[Citation], check: LinkCheck | None
) -> list[str]:
    """Compare every entry with its records; pages whose readers' view changed."""
    offline = check is None or check.mode == "offline"
    current: dict[str, dict[str, Verification]] = {}
    for citation in citations:
        if check is None:
            from .verify import CitationRecords

            found = CitationRecords()
            verification = (
                Verification("unverified") if citation_targets(citation) else Verification("none")
            )
        else:
            found = gather(citation, check.cache, offline)
            verification = describe(found)
            state.late_findings += check_record(citation, found)
            state.late_findings += check_notices(citation, found)
            state.late_findings += _unverified(citation, found, offline)
            state.late_findings += _candidate(citation, check.cache)
        state.verification[(citation.docname, citation.anchor)] = verification
        current.setdefault(citation.docname, {})[citation.anchor] = verification
    if check is not None and check.cache.problem:
        state.late_findings.append(_cache_finding(check.cache))
    rendered: dict[str, dict[str, Verification]] = data["rendered_verification"]
    changed = [d for d in sorted(set(current) | set(rendered)) if current.get(d) != rendered.get(d)]
    data["rendered_verification"] = current
    state.pages_reverified = set(changed)
    return changed


def _unverified(citation: Citation, found: Any, offline: bool) -> list[Finding]:
    """A note for each identifier a registry could not answer for (never a failure)."""
    notes = []
    for identified in found.identifiers:
        if identified.unverified and not (offline and identified.record is not None):
            notes.append(
                finding(
                    citation,
                    identified.field,
                    Subtype.unverified,
                    f"{identified.target} not verified: {identified.unverified}",
                )
            )
    return notes


def _candidate(citation: Citation, cache: LinkCache) -> list[Finding]:
    """The note naming a candidate PMID for an article without identifiers, if one is known."""
    found = candidate_of(citation, cache)
    if found is None:
        return []
    return [
        finding(
            citation,
            "title",
            Subtype.id_candidate,
            f'PubMed record {found["pmid"]} ("{clip(str(found.get("title", "")))}", found by '
            f"{found.get('via', 'a search')}) agrees with this entry's title, journal and year: "
            "a candidate PMID, please confirm on its PubMed page before adding :pmid:",
        )
    ]


def finish_linkcheck(app: Sphinx, exception: Exception | None) -> None:
    """Wait for the URLs, store their answers and judge every occurrence (build-finished)."""
    state = sclero_domain(app.env).build
    check = state.link_check
    if check is None:
        return
    state.link_check = None
    try:
        if exception is not None:
            if check.fetcher is not None:
                check.fetcher.stop()
            if check.future is not None:
                check.future.exception()  # waits; what it raised no longer matters
            return
        if check.future is not None:
            plain = check.future.result()
            check.results |= plain
            check.cache.put_all(plain.values())
        requests = check.fetcher.requests if check.fetcher else 0
        if isinstance(check.plain, LinkCheckerBackend):
            requests += check.plain.requests
        state.link_summary = {
            "mode": check.mode,
            "requests": requests,
            "checked": len(check.results),
        }
        state.late_findings += _judge_all(app, check, state)
        if check.cache.problem and not any(
            f.subtype is Subtype.link_cache for f in state.late_findings
        ):
            state.late_findings.append(_cache_finding(check.cache))
    finally:
        if check.fetcher is not None:
            check.fetcher.close()
        check.cache.close()


def _judge_all(app: Sphinx, check: LinkCheck, state: BuildState) -> list[Finding]:
    now = check.cache.clock()
    damping = app.config.sclero_linkcheck_damping_hours * HOUR
    domain = sclero_domain(app.env)
    citations = {(c.docname, c.anchor): c for page in domain.citations.values() for c in page}
    lookups: dict[Target, Any] = {}
    found: list[Finding] = []
    for item in check.plan.keyed:
        occurrence, target = item.occurrence, item.target
        if target in check.plan.ignored:
            state.link_rows.append(_row(occurrence, target, None, "ignored", ""))
            continue
        if target not in lookups:
            lookups[target] = check.cache.get(target)
        cached = lookups[target]
        verdict = judge(
            occurrence, target, item.fragment, cached, now, damping, check.mode == "offline"
        )
        message = verdict.message
        if verdict.subtype is Subtype.link_blocked:
            citation = citations.get((occurrence.docname, occurrence.citation))
            verified = _verified_identifiers(check, citation) if citation else []
            if verified:
                message += f"; the citation's {' and '.join(verified)} exists"
        outcome = (
            cached.result.outcome.value
            if cached
            else ("unchecked" if check.mode == "offline" else "pending")
        )
        state.link_rows.append(_row(occurrence, target, cached, outcome, verdict.subtype))
        if verdict.subtype is not None:
            found.append(
                Finding(
                    occurrence.docname,
                    occurrence.lineno,
                    verdict.subtype,
                    message,
                    citation=occurrence.citation,
                )
            )
    return found


def _row(
    occurrence: Occurrence, target: Target, cached: Any, outcome: str, subtype: Subtype | str | None
) -> dict[str, Any]:
    from .targets import redact

    result = cached.result if cached else None
    return {
        # Shallow: asdict's recursive copy cost more than the rest of this loop.
        **{f.name: getattr(occurrence, f.name) for f in OCCURRENCE_FIELDS},
        "url": redact(occurrence.url),
        "checked": {"kind": target.kind.value, "value": redact(target.value)},
        "outcome": outcome,
        "status": result.status if result else 0,
        "detail": redact(result.detail) if result else "",
        "new_url": result.new_url if result else "",
        "missing_anchors": sorted(result.missing_anchors) if result else [],
        "rule": f"sclero.{subtype.value}" if isinstance(subtype, Subtype) else "",
    }


def _verified_identifiers(check: LinkCheck, citation: Citation) -> list[str]:
    """Which of the citation's DOI and PMID the registries confirmed."""
    labels = []
    for name, target in citation_targets(citation).items():
        if name == "pmcid":
            continue
        cached = check.cache.get(target)
        if cached is not None and cached.result.outcome.value == "working":
            labels.append(name.upper())
    return sorted(labels, key=lambda label: ("DOI", "PMID").index(label))


def location_node(path: str) -> nodes.Element:
    """A node that carries a file path as its location (for findings outside the pages)."""
    where = nodes.Element()
    where.source, where.line = path, None
    return where


__all__ = ["TRANSIENT", "check_link_config", "finish_linkcheck", "start_linkcheck"]
