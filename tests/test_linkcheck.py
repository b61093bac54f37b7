"""External link checking against servers on 127.0.0.x (never the internet)."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sclero.linkcheck.urls import URLChecker
from sclero.model.link_parsing import parse
from sclero.model.targets import CheckResult, Outcome, Target, TargetKind
from sclero.net.fetch import Fetcher, FetchSettings
from sclero.net.gates import HostProfile
from sclero.net.store import Store
from sclero.verify.registries import Endpoints, check_doi_handles, fetch_ncbi

from .conftest import BuildPages, citation
from .linkserver import HOSTS, Log, serve

# The celiac guide as the osteoporosis page cites it (its PubMed record is in registry_data).
CELIAC = citation(
    "Management of bone health in patients with celiac disease (CD): Practical guide for "
    "clinicians",
    journal="Can Fam Physician", date="2018-06", volume="64", issue="6", pages="433-438",
    pmid="29898932",
)  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, Log]]:
    with serve() as running:
        yield running


def fetcher(**overrides: object) -> Fetcher:
    settings = FetchSettings(
        user_agent="test",
        timeout=0.5,
        backoff=0.05,
        retry_after_cap=2.0,
        default_profile=HostProfile(rate=50.0, concurrency=4),
        allowed_hosts=frozenset(HOSTS),
    )
    for name, value in overrides.items():
        setattr(settings, name, value)
    return Fetcher(settings)


def url(value: str) -> Target:
    return Target(TargetKind.url, value)


def check(address: str, **overrides: object) -> CheckResult:
    result = URLChecker(fetcher(**overrides)).check(url(address), time.monotonic() + 10)
    assert result is not None
    return result


@pytest.mark.parametrize(
    ("path", "outcome", "detail"),
    [
        ("/ok", Outcome.working, ""),
        ("/head405", Outcome.working, ""),
        ("/missing", Outcome.broken, "404"),
        ("/gone", Outcome.broken, "410"),
        ("/temporary", Outcome.working, ""),
        ("/loop", Outcome.error, "redirect loop"),
        ("/to-home", Outcome.soft_404, "redirects to http://127.0.0.2:{port}/"),
        ("/soft404", Outcome.soft_404, "page says 'Page not found | Journal'"),
        ("/limited-once", Outcome.working, ""),
        ("/limited-forever", Outcome.rate_limited, "429 Too Many Requests"),
        ("/limited-long", Outcome.rate_limited, "429 Too Many Requests"),
        ("/unavailable", Outcome.server_error, "503"),
        ("/blocked", Outcome.blocked, "403: refuses automated checks"),
        ("/challenge", Outcome.blocked, "503: refuses automated checks"),
        ("/hang", Outcome.timeout, "no complete answer within 0 s"),
        ("/huge", Outcome.working, ""),
        ("/private-redirect", Outcome.refused, "10.0.0.1 is not a global address"),
    ],
)
def test_classification(server: tuple[int, Log], path: str, outcome: Outcome, detail: str) -> None:
    port, _ = server
    result = check(f"http://127.0.0.2:{port}{path}")
    assert (result.outcome, result.detail) == (outcome, detail.format(port=port))


def test_permanent_redirects_give_the_new_url(server: tuple[int, Log]) -> None:
    port, _ = server
    for path in ("/moved", "/chain"):
        result = check(f"http://127.0.0.2:{port}{path}")
        assert result.outcome is Outcome.redirected
        assert result.new_url == f"http://127.0.0.2:{port}/ok"


def test_anchors(server: tuple[int, Log]) -> None:
    port, _ = server
    page = url(f"http://127.0.0.2:{port}/ok")
    assert (
        URLChecker(fetcher()).check(page, time.monotonic() + 5, {"methods"}).outcome
        is Outcome.working
    )  # type: ignore[union-attr]
    result = URLChecker(fetcher()).check(page, time.monotonic() + 5, {"methods", "results"})
    assert result is not None and (result.outcome, result.detail, result.missing_anchors) == (
        Outcome.anchor,
        "no element with id #results",
        frozenset({"results"}),
    )


def test_loopback_is_refused_unless_allowed(server: tuple[int, Log]) -> None:
    port, log = server
    before = len(log.paths())
    result = check(f"http://127.0.0.3:{port}/ok", allowed_hosts=frozenset())
    assert (result.outcome, result.detail) == (
        Outcome.refused,
        "127.0.0.3 is not a global address",
    )
    assert len(log.paths()) == before  # refused before any connection


def test_retry_after_is_honoured_up_to_the_cap(server: tuple[int, Log]) -> None:
    port, log = server
    started = time.monotonic()
    result = check(f"http://127.0.0.1:{port}/limited-long?cap")
    assert result.outcome is Outcome.rate_limited
    assert time.monotonic() - started < 1.0  # 3600 s asked, cap 2 s: no waiting at all
    assert log.counters["/limited-long?cap"] == 1


def test_deadline_bounds_everything(server: tuple[int, Log]) -> None:
    port, _ = server
    started = time.monotonic()
    slow = fetcher(timeout=30.0)
    results = URLChecker(slow).check_all(
        [url(f"http://127.0.0.3:{port}/hang")], time.monotonic() + 0.5
    )
    assert time.monotonic() - started < 1.5
    assert [r.outcome for r in results.values()] in ([], [Outcome.timeout])


def test_hosts_interleaved_and_rate_limited_per_host(server: tuple[int, Log]) -> None:
    port, log = server
    urls = [url(f"http://{h}:{port}/other?{i}") for h in HOSTS[:2] for i in range(4)]
    polite = fetcher(default_profile=HostProfile(rate=5.0, concurrency=1), workers=2)
    start = len(log.entries)
    results = URLChecker(polite).check_all(urls, time.monotonic() + 10)
    assert all(r.outcome is Outcome.working for r in results.values()) and len(results) == 8
    entries = log.entries[start:]
    assert {entries[0][1], entries[1][1]} == set(HOSTS[:2])  # both hosts from the start
    for host in HOSTS[:2]:
        times = [t for t, h, _, _ in entries if h == host]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert len(times) == 4 and min(gaps) >= 0.19  # never above 5 requests/s per host


def test_a_hanging_host_holds_up_only_itself(server: tuple[int, Log]) -> None:
    """Each host has its own threads: two hangs on one host do not starve another host."""
    port, log = server
    hanging = [url(f"http://127.0.0.3:{port}/hang?{i}") for i in range(2)]
    healthy = [url(f"http://127.0.0.2:{port}/other?isolated{i}") for i in range(4)]
    start = time.monotonic()
    results = URLChecker(fetcher(workers=2)).check_all([*hanging, *healthy], start + 10)
    assert {results[u].outcome for u in healthy} == {Outcome.working}
    assert {results[u].outcome for u in hanging} == {Outcome.timeout}
    arrivals = [t - start for t, _, _, path in log.entries if "isolated" in path]
    # A shared pool of two would have both threads waiting out the 0.5 s timeouts.
    assert len(arrivals) == 4 and max(arrivals) < 0.4


def test_identifiers_at_their_registries(server: tuple[int, Log]) -> None:
    port, _ = server
    base = f"http://127.0.0.1:{port}/"
    endpoints = Endpoints(eutils=base, crossref=base, doi_handles=base + "api/handles/")
    f = fetcher()
    deadline = time.monotonic() + 5
    doi = TargetKind.doi
    dois = check_doi_handles(
        f, [Target(doi, "10.1000/ok"), Target(doi, "10.1000/missing")], endpoints, deadline
    )
    assert {t.value: r.outcome for t, r in dois.items()} == {
        "10.1000/ok": Outcome.working,
        "10.1000/missing": Outcome.broken,
    }
    ids = [Target(TargetKind.pmid, "29898932"), Target(TargetKind.pmid, "999"),
           Target(TargetKind.pmcid, "PMC5999247")]  # fmt: skip
    ncbi = fetch_ncbi(f, ids, endpoints, deadline)
    assert {str(t): r.outcome for t, r in ncbi.results.items()} == {
        "PMID 29898932": Outcome.working,
        "PMID 999": Outcome.broken,
        "PMCID PMC5999247": Outcome.working,
    }
    assert parse("https://pubmed.ncbi.nlm.nih.gov/29898932/").target == Target(
        TargetKind.pmid, "29898932"
    )
    assert parse("https://doi.org/10.1016/J.CHEST.2019.06.036").target == Target(
        TargetKind.doi, "10.1016/j.chest.2019.06.036"
    )


def test_cache_ttl_and_flap_damping(tmp_path: Path) -> None:
    now = [1_000_000.0]
    cache = Store(tmp_path / "links.sqlite3", clock=lambda: now[0])
    page = url("http://x.org/a")
    broken = CheckResult(page, Outcome.broken, 404, "404")
    first = cache.put(broken)
    assert not first.confirmed(now[0], damping=4 * 3600)
    now[0] += 3600
    assert cache.get(page).fresh(now[0])  # type: ignore[union-attr]
    now[0] += 12 * 3600
    assert not cache.get(page).fresh(now[0])  # type: ignore[union-attr]
    # A passing fault in between neither confirms nor ends the run of failures.
    assert not cache.put(CheckResult(page, Outcome.timeout)).confirmed(now[0], 4 * 3600)
    second = cache.put(broken)
    assert second.confirmed(now[0], damping=4 * 3600)
    # A success ends the run of failures.
    cache.put(CheckResult(page, Outcome.working, 200))
    assert not cache.put(broken).confirmed(now[0], damping=4 * 3600)


# -- the whole build ----------------------------------------------------------------------


def conf(port: int, tmp_path: Path, mode: str = "full", **extra: object) -> str:
    lines = [
        f"sclero_linkcheck_mode = {mode!r}",
        f"sclero_linkcheck_allowed_hosts = {list(HOSTS)!r}",
        f"sclero_linkcheck_profiles = {{h: (50, 4) for h in {list(HOSTS)!r}}}",
        f"sclero_linkcheck_cache = {str(tmp_path / 'cache' / 'links.sqlite3')!r}",
        "sclero_linkcheck_timeout = 0.5",
        f"sclero_doi_api = 'http://127.0.0.1:{port}/api/handles/'",
        f"sclero_eutils = 'http://127.0.0.1:{port}/'",
        f"sclero_crossref = 'http://127.0.0.1:{port}/'",
        "suppress_warnings = ['sclero.placement']",
    ]
    lines += [f"{k} = {v!r}" for k, v in extra.items()]
    return "\n" + "\n".join(lines) + "\n"


def two_pages(port: int, path: str = "/missing") -> dict[str, str]:
    link = f"http://127.0.0.2:{port}{path}"
    return {
        "index": f"# Home\n\nSee [the study]({link}).\n\n```{{toctree}}\nother\n```\n",
        "other": f"# Other\n\nText.\n\nAgain: [same]({link}).\n",
    }


def test_every_occurrence_reported_and_damped(
    build_pages: BuildPages,
    server: tuple[int, Log],
    tmp_path: Path,
) -> None:
    port, log = server
    now = 2_000_000_000.0
    src = tmp_path / "site"
    url = f"http://127.0.0.2:{port}/missing"
    first = build_pages(
        two_pages(port), conf=conf(port, tmp_path, sclero_linkcheck_now=now), srcdir=src
    )
    assert first.warnings == []  # failed once: not yet broken
    assert (
        f"index.md:3: note: {url} failed once (404); it counts as broken if it still fails 4 h "
        "later [sclero.link_unconfirmed]" in first.status
    )
    assert f"other.md:5: note: {url} failed once (404)" in first.status
    fetched = log.counters.get("/missing", 0)
    # Same time: the cache answers, nothing is fetched.
    build_pages({}, conf=conf(port, tmp_path, sclero_linkcheck_now=now), srcdir=src)
    assert log.counters.get("/missing", 0) == fetched
    # 13 hours later the result has expired; a second failure confirms it, at both places.
    later = now + 13 * 3600
    third = build_pages({}, conf=conf(port, tmp_path, sclero_linkcheck_now=later), srcdir=src)
    assert log.counters["/missing"] == fetched + 1
    assert third.warnings == [
        f"index.md:3: WARNING: {url} is broken (404) [sclero.link_broken]",
        f"other.md:5: WARNING: {url} is broken (404) [sclero.link_broken]",
    ]
    report = json.loads((Path(third.app.outdir) / "link-report.json").read_text())
    assert [(r["docname"], r["lineno"], r["outcome"]) for r in report["occurrences"]] == [
        ("index", 3, "broken"),
        ("other", 5, "broken"),
    ]


def test_missing_anchor_and_soft_404_are_broken_once_confirmed(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """A page without the linked #fragment, a 200 "not found" page: damped like a 404."""
    port, _ = server
    base = f"http://127.0.0.2:{port}"
    text = (
        f"# Home\n\n[a]({base}/ok?full#results)\n\n[b]({base}/soft404)\n\n"
        f"[c]({base}/ok?full#methods)\n"
    )
    src = tmp_path / "site"
    now = 2_000_000_000.0
    first = build_pages({"index": text}, conf=conf(port, tmp_path, sclero_linkcheck_now=now),
                        srcdir=src)  # fmt: skip
    assert first.warnings == []
    later = conf(port, tmp_path, sclero_linkcheck_now=now + 13 * 3600)
    second = build_pages({}, conf=later, srcdir=src)
    assert second.warnings == [
        f"index.md:3: WARNING: {base}/ok?full#results is broken (no element with id #results) "
        "[sclero.link_anchor]",
        f"index.md:5: WARNING: {base}/soft404 is broken (page says 'Page not found | Journal') "
        "[sclero.link_soft_404]",
    ]


def test_offline_sends_no_request(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    port, log = server
    before = len(log.entries)
    built = build_pages(two_pages(port, "/ok?offline"), conf=conf(port, tmp_path, mode="offline"))
    assert len(log.entries) == before
    assert built.warnings == []
    assert (
        "note: 2 external link occurrences not checked yet (offline build; make check or make "
        "linkcheck checks them) [sclero.link_unchecked]" in built.status
    )


def test_budget_leaves_pending_work_pending(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """One request per second to the host and a 0.3 s budget: the second and third wait."""
    port, _ = server
    links = "\n\n".join(f"[{i}](http://127.0.0.2:{port}/ok?budget{i})" for i in (1, 2, 3))
    settings = conf(port, tmp_path, mode="budget", sclero_linkcheck_budget=0.3)
    settings += "sclero_linkcheck_profiles = {'127.0.0.2': (1, 1)}\n"
    built = build_pages({"index": f"# Home\n\n{links}\n"}, conf=settings)
    for i, line in ((2, 5), (3, 7)):
        url = f"http://127.0.0.2:{port}/ok?budget{i}"
        assert (
            f"index.md:{line}: note: {url} was not checked: the time budget ran out first "
            "[sclero.link_pending]" in built.status
        )
    report = json.loads((Path(built.app.outdir) / "link-report.json").read_text())
    assert [r["outcome"] for r in report["occurrences"]] == ["working", "pending", "pending"]


def test_redirect_blocked_identifier_refused(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    port, _ = server
    base = f"http://127.0.0.3:{port}"
    page = (
        "# Home\n\n"
        f"[moved]({base}/moved)\n\n"
        + citation(journal="Chest", date="2019", doi="10.1000/ok", url=f"{base}/blocked")
        + "\n"
        + citation("Second study", journal="Chest", date="2019", doi="10.1000/missing")
        + f"\n[private]({base}/private-redirect)\n"
    )
    # The citation rules (rightly) reject an IP address as a URL host; not this test's subject.
    built = build_pages(
        {"index": page},
        conf=conf(port, tmp_path) + "suppress_warnings = ['sclero.url', 'sclero.placement']\n",
    )
    assert built.warnings == [
        "index.md:14: WARNING: DOI 10.1000/missing: not registered at doi.org "
        "[sclero.link_identifier]",
        f"index.md:22: WARNING: {base}/private-redirect was not fetched: 10.0.0.1 is not a "
        "global address [sclero.link_refused]",
    ]
    assert (
        f"index.md:3: note: {base}/moved moved permanently; use {base}/ok [sclero.link_redirected]"
        in built.status
    )
    assert (
        f"index.md:5: note: {base}/blocked is unverifiable: the site refuses automated checks "
        "(403); "
        "the citation's DOI exists [sclero.link_blocked]" in built.status
    )


def test_corrupt_cache_is_rebuilt_with_a_warning(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    port, _ = server
    cache = tmp_path / "cache" / "links.sqlite3"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"this is not a database" * 100)
    built = build_pages(two_pages(port, "/ok"), conf=conf(port, tmp_path))
    assert built.warnings == [
        # "path::" is Sphinx's own form for a location without a line.
        f"{cache}:: WARNING: link cache was unreadable (file is not a database); kept as "
        "links.sqlite3.corrupt and started a new one [sclero.link_cache]"
    ]
    assert cache.with_suffix(".sqlite3.corrupt").exists()


# -- LinkChecker: backend and crawl ---------------------------------------------------------


def test_linkchecker_backend_maps_its_quirks(server: tuple[int, Log]) -> None:
    from sclero.linkcheck.linkchecker_backend import LinkCheckerBackend

    port, _ = server
    base = f"http://127.0.0.2:{port}"
    backend = LinkCheckerBackend(fetcher().settings)
    urls = [f"{base}/ok", f"{base}/missing", f"{base}/blocked", f"{base}/limited-forever?lc"]
    targets = [url(u) for u in [*urls, "http://10.0.0.1/x"]]
    results = backend.check_all(targets, time.monotonic() + 60)
    assert {t.value.removeprefix(base): r.outcome for t, r in results.items()} == {
        "/ok": Outcome.working,
        "/missing": Outcome.broken,
        "/blocked": Outcome.blocked,
        # LinkChecker calls a 429 valid; we do not.
        "/limited-forever?lc": Outcome.rate_limited,
        "http://10.0.0.1/x": Outcome.refused,
    }


def test_crawl_maps_failures_to_source_lines(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    import os
    import shutil
    import tempfile

    from sclero.linkcheck.crawl import crawl

    port, _ = server
    text = f"# Home\n\nFine: [ok](http://127.0.0.2:{port}/ok)\n\nGone: [x](http://127.0.0.2:{port}/gone)\n"
    built = build_pages({"index": text})
    # LinkChecker drops root privileges to "nobody": give it a world-readable copy.
    public = Path(tempfile.mkdtemp(prefix="sclero-crawl-"))
    os.chmod(public, 0o755)
    shutil.copytree(built.app.outdir, public / "html")
    shutil.copytree(built.app.srcdir, public / "src")
    for path in public.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    try:
        # Only the test's own hosts: the theme's footer links must not reach the internet.
        problems = crawl(
            public / "html",
            public / "src",
            60,
            external=True,
            ignore=(r"^https?://(?!127\.0\.0\.)",),
        )
    finally:
        shutil.rmtree(public)
    assert problems == [f"{public}/src/index.md:5: http://127.0.0.2:{port}/gone: broken (410 Gone)"]


def test_anchors_of_one_page_fetch_it_once(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    port, log = server
    base = f"http://127.0.0.3:{port}/ok?anchors"
    text = f"# Home\n\n[a]({base}#methods)\n\n[b]({base}#results)\n\n[c]({base})\n"
    built = build_pages({"index": text}, conf=conf(port, tmp_path))
    assert log.counters["/ok?anchors"] == 1
    assert built.warnings == []  # an anchor failure is a failure like any other: damped
    assert (
        f"index.md:5: note: {base}#results failed once (no element with id #results); it counts "
        "as broken if it still fails 4 h later [sclero.link_unconfirmed]" in built.status
    )
    assert f"index.md:3: note: {base}#methods" not in built.status


def _slow_link_build(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path, **kwargs: Any
) -> float:
    """Build a page linking a URL that answers after 2 s; seconds from request to page write."""
    port, log = server
    tag = f"written{kwargs.get('parallel', 1)}"
    page = f"# Home\n\nSee [the slow page](http://127.0.0.2:{port}/hang?{tag}).\n"
    built = build_pages(
        {"index": page}, conf=conf(port, tmp_path, sclero_linkcheck_timeout=5.0), **kwargs
    )
    assert built.warnings == []
    report = json.loads((Path(built.app.outdir) / "link-report.json").read_text("utf-8"))
    assert [r["outcome"] for r in report["occurrences"]] == ["working"]
    asked = next(t for t, _, _, path in log.entries if path == f"/hang?{tag}")
    written = (Path(built.app.outdir) / "index.html").stat().st_mtime
    # The log's clock is monotonic; the file's is the wall clock: compare through "now".
    return (written - time.time()) - (asked - time.monotonic())


def test_links_are_checked_while_the_pages_are_written(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """Nothing written depends on a link's answer, so the page does not wait 2 s for it."""
    assert _slow_link_build(build_pages, server, tmp_path) < 1.5


def test_parallel_builds_check_links_before_writing(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """With -j the writers are forked processes, which must not inherit running threads."""
    assert _slow_link_build(build_pages, server, tmp_path, parallel=2) > 1.9


def test_internal_links_are_located_warnings_offline(build_pages: BuildPages) -> None:
    """Documents, heading anchors, files and topics are resolved by every (offline) build."""
    text = (
        "# Home\n\n## Methods\n\n"
        "[doc](missing.md)\n\n[anchor](#no-such-heading)\n\n[file](data/nope.pdf)\n\n"
        "{topic}`no-such-topic`\n"
    )
    built = build_pages({"index": text}, conf="nitpicky = True\nmyst_heading_anchors = 3\n")
    # MyST's are reported when the page is written; ours at the end of every build, together
    # with the link check's (which runs while the pages are written).
    assert built.warnings == [
        "index.md:5: WARNING: 'myst' cross-reference target not found: 'missing.md' "
        "[myst.xref_missing]",
        "index.md:7: WARNING: 'myst' cross-reference target not found: 'no-such-heading' "
        "[myst.xref_missing]",
        "index.md:9: WARNING: 'myst' cross-reference target not found: 'data/nope.pdf' "
        "[myst.xref_missing]",
        "index.md:11: WARNING: unknown topic 'no-such-topic' [sclero.topic_unknown]",
    ]


def test_identifiers_and_plain_links_are_checked_at_the_same_time(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """A slow registry does not delay the links on other hosts."""
    port, log = server
    page = "# Home\n\n" + CELIAC + f"\nSee [the study](http://127.0.0.2:{port}/other?concurrent).\n"
    start = len(log.entries)
    built = build_pages(
        {"index": page},
        conf=conf(port, tmp_path, sclero_eutils=f"http://127.0.0.1:{port}/slow/"),
    )
    assert built.warnings == []
    arrived = {path.split("?")[0]: t for t, _, _, path in log.entries[start:]}
    # The registry takes 1 s to answer; the link must not wait for it. (Under load a thread
    # may start up to half a second late; waiting for the registry would cost a second.)
    assert abs(arrived["/other"] - arrived["/slow/esummary.fcgi"]) < 0.9


def test_doi_confirmed_by_the_pubmed_record_costs_no_handle_request(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """The batched esummary answer carries the DOI; only an unpaired DOI asks the handle API."""
    port, log = server
    page = (
        "# Home\n\n"
        + citation(
            "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive "
            "developmental disorder in children",
            journal="Lancet", date="1998-02-28", volume="351", issue="9103", pages="637-641",
            pmid="9500320", doi="10.1016/S0140-6736(97)11096-0",
            waive="retracted: cited here as the example of a retracted paper",
        )
        + "\n"
        + citation("Unpaired", journal="Chest", date="2019", doi="10.1000/alone")
    )  # fmt: skip
    before = log.paths()
    built = build_pages({"index": page}, conf=conf(port, tmp_path))
    assert built.warnings == []
    new = log.paths()[len(before) :]
    # Crossref is asked only for the unpaired DOI; it does not know it, so doi.org is asked.
    assert [p for p in new if p.startswith("/works")] == [
        "/works?filter=doi%3A10.1000%2Falone&rows=1"
    ]
    assert [p for p in new if p.startswith("/api/handles/")] == ["/api/handles/10.1000/alone"]
    assert len([p for p in new if p.startswith("/esummary.fcgi")]) == 1


def test_pmcid_confirmed_by_the_pubmed_record_costs_no_pmc_request(
    build_pages: BuildPages, server: tuple[int, Log], tmp_path: Path
) -> None:
    """The PubMed record lists the entry's PMCID: PMC is not asked (as for a paired DOI)."""
    port, log = server
    page = "# Home\n\n" + citation(
        "Management of bone health in patients with celiac disease: Practical guide for "
        "clinicians", journal="Can Fam Physician", date="2018-06", volume="64", issue="6",
        pages="433-438", pmid="29898932", pmcid="PMC5999247",
    )  # fmt: skip
    before = log.paths()
    built = build_pages({"index": page}, conf=conf(port, tmp_path))
    assert built.warnings == []
    asked = [p for p in log.paths()[len(before) :] if "esummary" in p]
    assert len(asked) == 1 and "db=pubmed" in asked[0], asked
    assert "Verified against PubMed" in built.html()
