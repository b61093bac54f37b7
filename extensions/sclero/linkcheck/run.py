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
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import ConfigError

from ..checks.links import store_problem, store_rows_dropped
from ..content.domain import ScleroDomain, sclero_domain
from ..model.jsontext import EncodedList
from ..model.packed import Packed
from ..model.records import Citation
from ..model.rules import Subtype
from ..model.targets import HOUR, TRANSIENT, CheckResult, Keyed, LinkMode, Target
from ..net.fetch import Fetcher, FetchSettings
from ..net.gates import HostProfile
from ..net.memo import JUDGE, VERIFY, PageMemo, settings_token
from ..net.store import Store
from ..verify.entries import unverified_entries, verify_entries
from ..verify.lookup import (
    citation_targets,
    find_candidates,
    verify_identifiers,
    wanted_of,
)
from ..verify.registries import Endpoints
from .linkchecker_backend import LinkCheckerBackend
from .occurrences import judge_occurrences
from .plan import Plan, plan
from .urls import PlainChecker, URLChecker

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


MODES = tuple(mode.value for mode in LinkMode)


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
    # Crossref (December 2025) limits list requests, which the doi: filters are, more than
    # single works: polite pool (with a contact) 3/s and 3 at once, else 1/s, one at a time.
    crossref = HostProfile(3.0, 3) if endpoints.email else HostProfile(1.0, 1)
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

    mode: LinkMode
    cache: Store
    plan: Plan
    fetcher: Fetcher | None = None
    plain: PlainChecker | None = None
    future: Future[dict[Target, CheckResult]] | None = None
    results: dict[Target, CheckResult] = field(default_factory=dict)
    settings: str = ""  # the settings verdicts depend on (memo.py)


@dataclass(frozen=True)
class LinkSummary:
    """How the link check went: its mode, the requests it sent, the targets it checked."""

    mode: LinkMode = LinkMode.offline
    requests: int = 0
    checked: int = 0


@dataclass
class LinkState:
    """The link check's own sub-state of the build (this module is its only writer)."""

    # The check under way, from the end of reading to the end of the build.
    check: LinkCheck | None = None
    # Every link occurrence with its outcome, for link-report.json.
    rows: EncodedList = field(default_factory=EncodedList)
    summary: LinkSummary = field(default_factory=LinkSummary)


def fetch_settings(config: Config, endpoints: Endpoints) -> FetchSettings:
    """The polite client's settings from conf.py: user agent, limits, per-host rates."""
    contact = config.sclero_linkcheck_contact or "no contact set"
    return FetchSettings(
        user_agent=f"SCLERO-topics-linkcheck/1.0 (+{contact})",
        timeout=config.sclero_linkcheck_timeout,
        retry_after_cap=config.sclero_linkcheck_retry_after_cap,
        profiles=_profiles(config, endpoints),
        allowed_hosts=frozenset(config.sclero_linkcheck_allowed_hosts),
    )


def start_linkcheck(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Open the cache, check what the mode allows, verify every entry (env-updated).

    Returns the pages whose verification changed since they were written, so that Sphinx
    writes them again although they were not read again.
    """
    config = app.config
    domain = sclero_domain(env)
    links_state = domain.build.part(LinkState)
    mode = LinkMode(link_mode(config))
    pages = domain.citations
    links: dict[str, Packed[Keyed]] = domain.data["links"]
    # Counted, not read: a site with links never reads its entries here.
    if not any(len(found) for found in links.values()) and not any(
        citation_targets(c) or wanted_of(c) for page in pages.values() for c in page
    ):
        links_state.summary = LinkSummary(mode)
        return _verify_all(env, pages, None)
    cache = Store(cache_path(app), clock=wall_clock(config), deferred=True)
    check = LinkCheck(
        mode, cache, plan(links, cache, _ignored(config), checking=mode is not LinkMode.offline)
    )
    check.settings = settings_token(config, mode, ScleroDomain.data_version)
    links_state.check = check
    domain.build.verify.store = cache
    if mode is not LinkMode.offline:
        # A check reads every entry: it is bound by the registries, not by unpickling.
        _check_due(app, check, [c for docname in sorted(pages) for c in pages[docname]])
    return _verify_all(env, pages, check)


def _ignored(config: Config) -> tuple[str, ...]:
    return tuple(config.sclero_linkcheck_ignore)


def _check_due(app: Sphinx, check: LinkCheck, citations: list[Citation]) -> None:
    """Start the plain URLs, verify the identifiers; under -j, finish the URLs before writing."""
    config = app.config
    endpoints = endpoints_of(config)
    settings = fetch_settings(config, endpoints)
    budget = (
        config.sclero_linkcheck_budget
        if check.mode is LinkMode.budget
        else config.sclero_linkcheck_deadline
    )
    deadline = settings.clock() + budget
    check.fetcher = fetcher = Fetcher(settings)
    check.plain = (
        LinkCheckerBackend(settings)
        if config.sclero_linkcheck_backend == "linkchecker"
        else URLChecker(fetcher)
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
    # Title searches (one request per article) are discovery: only a full run makes them.
    titles = check.mode is LinkMode.full
    find_candidates(fetcher, check.cache, citations, endpoints, deadline, titles)
    if app.parallel > 1:
        # Parallel writers are forked processes; a fork must not inherit running threads.
        check.future.result()


def _verify_all(
    env: BuildEnvironment, pages: Mapping[str, Sequence[Citation]], check: LinkCheck | None
) -> list[str]:
    """Compare every entry with its records; pages whose readers' view changed."""
    domain = sclero_domain(env)
    state, data = domain.build.verify, domain.data
    if check is None:
        verdicts = unverified_entries([c for docname in sorted(pages) for c in pages[docname]])
    else:
        # Made after the identifiers' answers are stored: its generation includes them.
        memo = PageMemo(check.cache, VERIFY, check.settings, env)
        verdicts = verify_entries(pages, check.cache, check.mode is LinkMode.offline, memo)
        if check.cache.problem:
            state.findings.append(store_problem(check.cache))
    state.findings += verdicts.findings
    state.not_checked["identifiers"] += verdicts.not_verified
    state.not_checked["searches"] += verdicts.not_searched
    current = verdicts.verification
    for docname, verified in current.items():
        for anchor, verification in verified.items():
            state.verification[(docname, anchor)] = verification
    digests = verdicts.digests
    rendered: dict[str, str] = data["rendered_verification"]
    changed = [d for d in sorted(set(digests) | set(rendered)) if digests.get(d) != rendered.get(d)]
    data["rendered_verification"] = digests
    state.pages_reverified = set(changed)
    return changed


def finish_linkcheck(app: Sphinx, exception: Exception | None) -> None:
    """Wait for the URLs, store their answers and judge every occurrence (build-finished)."""
    build = sclero_domain(app.env).build
    state, links_state = build.verify, build.part(LinkState)
    check = links_state.check
    if check is None:
        return
    links_state.check, state.store = None, None
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
        links_state.summary = LinkSummary(check.mode, requests, len(check.results))
        judged = judge_occurrences(
            check.plan,
            check.cache,
            check.mode is LinkMode.offline,
            app.config.sclero_linkcheck_damping_hours * HOUR,
            sclero_domain(app.env).citations,
            PageMemo(check.cache, JUDGE, check.settings, app.env),
        )
        links_state.rows += judged.rows
        state.findings += judged.findings
        state.not_checked["links"] += judged.unchecked

        check.cache.flush()  # the build's one commit
        if check.cache.problem and not any(f.subtype is Subtype.link_cache for f in state.findings):
            state.findings.append(store_problem(check.cache))
        if check.cache.dropped:
            state.findings.append(store_rows_dropped(check.cache))
    finally:
        if check.fetcher is not None:
            check.fetcher.close()
        # Also when the build failed: the registries' answers hold whatever failed after.
        check.cache.flush()
        check.cache.close()


__all__ = ["TRANSIENT", "check_link_config", "finish_linkcheck", "start_linkcheck"]
