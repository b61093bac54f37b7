"""External links in the build: collect while reading, check by mode, report every occurrence."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.errors import ConfigError
from sphinx.util import logging

from ..records import Citation, Finding
from ..subtypes import Subtype
from .cache import CachedResult, LinkCache
from .fetch import Fetcher, FetchSettings, HostProfile
from .identifiers import Endpoints, check_dois, check_ncbi, identifier_of
from .linkchecker_backend import LinkCheckerBackend
from .model import HOUR, TRANSIENT, CheckResult, Occurrence, Outcome

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from ..domain import ScleroDomain

logger = logging.getLogger(__name__)
MODES = ("offline", "budget", "full")
REPORT_NAME = "link-report.json"
OCCURRENCE_FIELDS = fields(Occurrence)  # the columns an occurrence adds to a report row
# The wall clock the cache records; tests replace it to move time without sleeping.
wall_clock = time.time


@dataclass
class LinkRun:
    """What one build's link check did and found."""

    mode: str
    requests: int = 0
    checked: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)


_RUNS: WeakKeyDictionary[Sphinx, LinkRun] = WeakKeyDictionary()


def normalise(url: str) -> tuple[str, str]:
    """(URL without fragment, scheme and host lower-cased, default port dropped; fragment)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not (
        (parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    base = urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))
    return base, parts.fragment


def collect_links(app: Sphinx, doctree: nodes.document) -> None:
    """Record every external link of a page with its line and citation (doctree-read)."""
    domain: ScleroDomain = app.env.domains["sclero"]  # type: ignore[assignment]
    found: list[Occurrence] = []
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if not uri.startswith(("http://", "https://")):
            continue
        citation, line = "", ref.line
        parent: nodes.Node | None = ref
        while parent is not None:
            if line is None and getattr(parent, "line", None):
                line = parent.line
            if isinstance(parent, nodes.container) and "sclero-citation" in parent["classes"]:
                citation = parent["ids"][0] if parent["ids"] else ""
            parent = parent.parent
        occurrence = Occurrence(uri, app.env.docname, line or 0, citation)
        # A citation links its PMID from the title and the source line: one occurrence.
        if occurrence not in found:
            found.append(occurrence)
    domain.data["links"][app.env.docname] = found


def check_link_config(app: Sphinx, config: Config) -> None:
    """Validate the link-check settings (config-inited)."""
    mode = os.environ.get("SCLERO_LINKCHECK") or config.sclero_linkcheck_mode
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
            and profile[0] > 0
            and profile[1] >= 1
        ):
            raise ConfigError(
                f"sclero_linkcheck_profiles[{host!r}] must be (requests per second, at once)"
            )


def _profiles(config: Config) -> dict[str, HostProfile]:
    ncbi_rate = 10.0 if os.environ.get("NCBI_API_KEY") else 3.0
    profiles = {
        "eutils.ncbi.nlm.nih.gov": HostProfile(ncbi_rate, 1),
        "pubmed.ncbi.nlm.nih.gov": HostProfile(ncbi_rate, 1),
        "pmc.ncbi.nlm.nih.gov": HostProfile(ncbi_rate, 1),
        "www.ncbi.nlm.nih.gov": HostProfile(ncbi_rate, 1),
        "doi.org": HostProfile(5.0, 2),
    }
    for host, (rate, concurrency) in config.sclero_linkcheck_profiles.items():
        profiles[host] = HostProfile(float(rate), int(concurrency))
    return profiles


def _cache_path(app: Sphinx) -> Path:
    configured = os.environ.get("SCLERO_LINKCHECK_CACHE") or app.config.sclero_linkcheck_cache
    return Path(configured) if configured else Path(app.confdir) / ".linkcache" / "links.sqlite3"


@dataclass
class _Pending:
    """A link check under way while the pages are written."""

    cache: LinkCache
    keyed: list[tuple[Occurrence, tuple[str, str]]]
    run: LinkRun
    fetcher: Fetcher | None = None
    future: Future[dict[str, CheckResult]] | None = None
    requests: Callable[[], int] = lambda: 0


_PENDING: WeakKeyDictionary[Sphinx, _Pending] = WeakKeyDictionary()


def start_linkcheck(app: Sphinx, env: BuildEnvironment) -> None:
    """Open the cache and start checking what the mode allows (env-updated).

    The requests go out on a background thread while Sphinx writes the pages, since
    nothing written depends on their answers; ``finish_linkcheck`` collects them.
    """
    config = app.config
    domain: ScleroDomain = env.domains["sclero"]  # type: ignore[assignment]
    mode = os.environ.get("SCLERO_LINKCHECK") or config.sclero_linkcheck_mode
    occurrences = [
        o for docname in sorted(domain.data["links"]) for o in domain.data["links"][docname]
    ]
    run = LinkRun(mode)
    _RUNS[app] = run
    if not occurrences:
        return
    cache_path = _cache_path(app)
    cache = LinkCache(cache_path, clock=wall_clock)
    if cache.rebuilt_because:
        # The cache is no document: a node carrying its path makes the warning located.
        where = nodes.Element()
        where.source, where.line = str(cache_path), None
        logger.warning(
            f"link cache was unreadable ({cache.rebuilt_because}); started a new one",
            location=where,
            type="sclero",
            subtype="link_cache",
        )
    pending = _Pending(cache, [(o, _key(o.url)) for o in occurrences], run)
    _PENDING[app] = pending
    if mode == "offline":
        return
    work, pending.fetcher, pending.requests = _plan(app, cache, pending.keyed, mode)
    if app.parallel > 1:
        # Parallel writers are forked processes; a fork must not inherit running threads.
        done: Future[dict[str, CheckResult]] = Future()
        done.set_result(work())
        pending.future = done
        return
    background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sclero-linkcheck")
    pending.future = background.submit(work)
    background.shutdown(wait=False)  # the thread ends with the work; nothing else is queued


def finish_linkcheck(app: Sphinx, env: BuildEnvironment) -> list[Finding]:
    """Wait for the check, store its answers and judge every occurrence (build-finished)."""
    pending = _PENDING.pop(app, None)
    if pending is None:
        return []
    try:
        if pending.future is not None:
            results = pending.future.result()
            pending.cache.put_all(results.values())
            pending.run.requests, pending.run.checked = pending.requests(), len(results)
        domain: ScleroDomain = env.domains["sclero"]  # type: ignore[assignment]
        return list(_findings(app, pending.cache, pending.keyed, pending.run, domain))
    finally:
        pending.cache.close()


def abandon_linkcheck(app: Sphinx) -> None:
    """The build failed: send nothing more, wait for requests under way, close the cache."""
    pending = _PENDING.pop(app, None)
    if pending is None:
        return
    if pending.fetcher is not None:
        pending.fetcher.stop()
    if pending.future is not None:
        pending.future.exception()  # waits; what it raised no longer matters
    pending.cache.close()


def _key(url: str) -> tuple[str, str]:
    """What is checked for a URL (an identifier or a normalised URL) and its fragment."""
    identifier = identifier_of(url)
    if identifier is not None:
        return identifier, ""
    return normalise(url)


def _plan(
    app: Sphinx, cache: LinkCache, keyed: list[tuple[Occurrence, tuple[str, str]]], mode: str
) -> tuple[Callable[[], dict[str, CheckResult]], Fetcher, Callable[[], int]]:
    """What is due, and the work that checks it (network only: no cache, no environment)."""
    config = app.config
    now = cache.clock()
    fragments: dict[str, set[str]] = {}
    for _, (key, fragment) in keyed:
        fragments.setdefault(key, set())
        if fragment:
            fragments[key].add(fragment)
    due: list[tuple[int, float, str]] = []
    for key in fragments:
        cached = cache.get(key)
        if cached is None:
            due.append((0, 0.0, key))
        elif not cached.fresh(now):
            due.append((1, cached.checked_at, key))
    # New links first, then the longest-expired: a budget spends itself where it matters.
    due.sort()
    budget = (
        config.sclero_linkcheck_budget if mode == "budget" else config.sclero_linkcheck_deadline
    )
    settings = FetchSettings(
        user_agent="SCLERO-topics-linkcheck/1.0 "
        f"(+{config.sclero_linkcheck_contact or 'no contact set'})",
        timeout=config.sclero_linkcheck_timeout,
        retry_after_cap=config.sclero_linkcheck_retry_after_cap,
        profiles=_profiles(config),
        allowed_hosts=frozenset(config.sclero_linkcheck_allowed_hosts),
    )
    fetcher = Fetcher(settings)
    plain_checker: Fetcher | LinkCheckerBackend = (
        LinkCheckerBackend(settings)
        if config.sclero_linkcheck_backend == "linkchecker"
        else fetcher
    )
    deadline = settings.clock() + budget
    endpoints = Endpoints(
        config.sclero_doi_api, config.sclero_eutils, os.environ.get("NCBI_API_KEY", "")
    )
    keys = [key for _, _, key in due]
    plain = [k for k in keys if not k.startswith(("pmid:", "pmcid:", "doi:"))]
    pairs = _doi_pmid_pairs(app)

    def work() -> dict[str, CheckResult]:
        # Identifiers (at their registries) and plain URLs (at their own hosts) are checked
        # at the same time: neither waits for the other; the per-host gates keep both polite.
        with ThreadPoolExecutor(max_workers=1) as side:
            identifiers = side.submit(_check_identifiers, fetcher, keys, pairs, endpoints, deadline)
            results = plain_checker.check_all(plain, deadline, {k: fragments[k] for k in plain})
            return results | identifiers.result()

    def requests() -> int:
        return fetcher.requests + (plain_checker.requests if plain_checker is not fetcher else 0)

    return work, fetcher, requests


def _check_identifiers(
    fetcher: Fetcher,
    keys: list[str],
    pairs: dict[str, str],
    endpoints: Endpoints,
    deadline: float,
) -> dict[str, CheckResult]:
    """PMIDs and PMCIDs at E-utilities, then the DOIs their records (``pairs``) do not confirm."""
    results: dict[str, CheckResult] = {}
    ncbi_keys = [k for k in keys if k.startswith(("pmid:", "pmcid:"))]
    # PMIDs the citations pair with each due DOI: their PubMed records may confirm it.
    for key in keys:
        pmid = pairs.get(key.removeprefix("doi:").lower()) if key.startswith("doi:") else None
        if pmid and f"pmid:{pmid}" not in ncbi_keys:
            ncbi_keys.append(f"pmid:{pmid}")
    record_dois: dict[str, str] = {}
    results |= check_ncbi(fetcher, ncbi_keys, endpoints, deadline, record_dois)
    handle_dois = []
    for key in keys:
        if not key.startswith("doi:"):
            continue
        doi = key.removeprefix("doi:")
        pmid = pairs.get(doi.lower())
        if pmid and record_dois.get(f"pmid:{pmid}", "").lower() == doi.lower():
            results[key] = CheckResult(key, Outcome.working, 200, f"in the PubMed record {pmid}")
        else:
            handle_dois.append(doi)
    return results | check_dois(fetcher, handle_dois, endpoints, deadline)


def _doi_pmid_pairs(app: Sphinx) -> dict[str, str]:
    """DOI (lower case) -> the PMID a citation gives with it."""
    domain: ScleroDomain = app.env.domains["sclero"]  # type: ignore[assignment]
    pairs: dict[str, str] = {}
    for page in domain.citations.values():
        for citation in page:
            doi, pmid = citation.get("doi"), citation.get("pmid")
            if doi and pmid and pmid.isdigit():
                pairs.setdefault(doi.lower(), pmid)
    return pairs


def _findings(
    app: Sphinx,
    cache: LinkCache,
    keyed: list[tuple[Occurrence, tuple[str, str]]],
    run: LinkRun,
    domain: ScleroDomain,
) -> Iterator[Finding]:
    now = cache.clock()
    damping = app.config.sclero_linkcheck_damping_hours * HOUR
    citations = {(c.docname, c.anchor): c for page in domain.citations.values() for c in page}
    # A URL cited on many pages is looked up once, not once per occurrence.
    lookups: dict[str, CachedResult | None] = {}
    for occurrence, (key, fragment) in keyed:
        if key not in lookups:
            lookups[key] = cache.get(key)
        cached = lookups[key]
        subtype, message = _judge(occurrence, key, fragment, cached, now, damping, run.mode)
        if subtype is Subtype.link_blocked:
            citation = citations.get((occurrence.docname, occurrence.citation))
            verified = _verified_identifiers(cache, citation) if citation else []
            if verified:
                message += f"; the citation's {' and '.join(verified)} exists"
        run.rows.append(
            {
                # Shallow: asdict's recursive copy cost more than the rest of this loop.
                **{f.name: getattr(occurrence, f.name) for f in OCCURRENCE_FIELDS},
                "checked": key,
                "outcome": cached.result.outcome.value
                if cached
                else ("unchecked" if run.mode == "offline" else "pending"),
                "status": cached.result.status if cached else 0,
                "detail": cached.result.detail if cached else "",
                "new_url": cached.result.new_url if cached else "",
                "rule": f"sclero.{subtype.value}" if subtype else "",
            }
        )
        if subtype is not None:
            yield Finding(
                occurrence.docname,
                occurrence.lineno,
                subtype,
                message,
                citation=occurrence.citation,
            )


def _verified_identifiers(cache: LinkCache, citation: Citation) -> list[str]:
    """Which of the citation's DOI and PMID the registries confirmed."""
    labels = []
    for label, name in (("DOI", "doi"), ("PMID", "pmid")):
        cached = cache.get(f"{name}:{citation.get(name)}") if citation.get(name) else None
        if cached is not None and cached.result.outcome is Outcome.working:
            labels.append(label)
    return labels


def _judge(
    occurrence: Occurrence,
    key: str,
    fragment: str,
    cached: CachedResult | None,
    now: float,
    damping: float,
    mode: str,
) -> tuple[Subtype | None, str]:
    """The finding (if any) for one occurrence, from what the cache knows."""
    url = occurrence.url
    if cached is None:
        if mode == "offline":
            return Subtype.link_unchecked, f"{url} has not been checked yet (offline build)"
        return Subtype.link_pending, f"{url} was not checked: the time budget ran out first"
    result = cached.result
    outcome = result.outcome
    if outcome is Outcome.anchor:
        missing = result.detail
        if not fragment or f"#{fragment}" not in missing:
            return None, ""
    if outcome is Outcome.working:
        return None, ""
    if outcome is Outcome.redirected:
        return Subtype.link_redirected, f"{url} moved permanently; use {result.new_url}"
    if outcome is Outcome.blocked:
        return (
            Subtype.link_blocked,
            f"{url} is unverifiable: the site refuses automated checks ({result.status})",
        )
    if outcome is Outcome.refused:
        return Subtype.link_refused, f"{url} was not fetched: {result.detail}"
    if key.startswith(("doi:", "pmid:", "pmcid:")) and outcome is Outcome.broken:
        # The registry is authoritative: no damping for "no such identifier".
        kind, _, value = key.partition(":")
        return Subtype.link_identifier, f"{kind.upper()} {value}: {result.detail}"
    if outcome in TRANSIENT:
        return (
            Subtype.link_transient,
            f"{url}: {outcome.value.replace('_', ' ')} ({result.detail or result.status}); "
            "not counted as broken",
        )
    if not cached.confirmed(now, damping):
        hours = damping / HOUR
        return (
            Subtype.link_unconfirmed,
            f"{url} failed once ({result.detail or result.status}); it counts as broken if it "
            f"still fails {hours:g} h later",
        )
    subtype = {Outcome.anchor: Subtype.link_anchor, Outcome.soft_404: Subtype.link_soft_404}.get(
        outcome, Subtype.link_broken
    )
    return subtype, f"{url} is broken ({result.detail or result.status})"


def write_link_report(app: Sphinx, exception: Exception | None) -> None:
    """Every occurrence with its outcome, as JSON beside the site (build-finished)."""
    run = _RUNS.get(app)
    if exception is not None or run is None:
        return
    data = {
        "mode": run.mode,
        "requests": run.requests,
        "checked": run.checked,
        "occurrences": run.rows,
    }
    (Path(app.outdir) / REPORT_NAME).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
