"""No input, server or fault breaks a build, leaks into CI, or loses data."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sclero.linkcheck.urls import URLChecker
from sclero.model.records import TEXT_FIELDS
from sclero.model.targets import CheckResult, Outcome, Target, TargetKind
from sclero.net.fetch import Fetcher, FetchSettings
from sclero.net.gates import HostProfile
from sclero.net.guard import non_global_reason
from sclero.net.store import Store

from .conftest import BuildPages, citation
from .hostile_server import BEHAVIOURS, RECEIVED, serve_hostile

TIMEOUT = 1.0  # per request: connect, headers and body


# -- hostile servers -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_port() -> Iterator[int]:
    with serve_hostile() as port:
        yield port


def _fetcher() -> Fetcher:
    return Fetcher(
        FetchSettings(
            user_agent="test",
            timeout=TIMEOUT,
            retries=0,
            retry_after_cap=1.0,
            default_profile=HostProfile(rate=200.0, concurrency=8),
            allowed_hosts=frozenset({"127.0.0.1"}),
            proxies={},
        )
    )


def test_there_are_at_least_forty_hostile_behaviours() -> None:
    assert len(BEHAVIOURS) >= 40


@pytest.mark.parametrize("path", sorted(BEHAVIOURS))
def test_hostile_server_gets_an_honest_outcome_within_the_deadline(
    hostile_port: int, path: str
) -> None:
    """Every answer ends within the request's time, as an outcome, never a crash."""
    expected = BEHAVIOURS[path][1]
    target = Target(TargetKind.url, f"http://127.0.0.1:{hostile_port}{path}")
    started = time.monotonic()
    result = URLChecker(_fetcher()).check(
        target, started + 30, {"a"} if path == "/ok-keepalive" else set()
    )
    elapsed = time.monotonic() - started
    assert result is not None
    assert result.outcome.value in expected, (path, result)
    # A redirect chain may take one request time per hop; a single answer one request time.
    assert elapsed < TIMEOUT * 3 + 0.5, (path, elapsed)


@pytest.mark.parametrize("path", ["/silent", "/slow-status", "/close-at-once", "/reset"])
def test_a_request_that_fails_on_a_new_connection_is_sent_once(
    hostile_port: int, path: str
) -> None:
    """Only a kept-alive connection the server had closed is worth a second try.

    A new connection cut by the deadline (or by the server) is an answer; sending again at
    once would double the load on a failing host and bypass its rate limit.
    """
    RECEIVED[path] = 0
    target = Target(TargetKind.url, f"http://127.0.0.1:{hostile_port}{path}")
    result = URLChecker(_fetcher()).check(target, time.monotonic() + 30)
    assert result is not None and result.outcome.value in BEHAVIOURS[path][1]
    time.sleep(0.2)  # a second request would have reached the server by now
    assert RECEIVED[path] == 1


def test_a_kept_alive_connection_the_server_closed_is_retried_once(hostile_port: int) -> None:
    """The server says keep-alive, then closes: the next request goes on a new connection."""
    RECEIVED["/ok-keepalive"] = 0
    fetcher = _fetcher()
    target = Target(TargetKind.url, f"http://127.0.0.1:{hostile_port}/ok-keepalive")
    results = [URLChecker(fetcher).check(target, time.monotonic() + 30) for _ in range(2)]
    assert [r.outcome for r in results if r is not None] == [Outcome.working, Outcome.working]
    assert RECEIVED["/ok-keepalive"] == 2


def test_a_body_that_trickles_in_is_cut_at_the_overall_deadline(hostile_port: int) -> None:
    """The deadline covers the body too: one byte a tenth of a second never holds a build."""
    fetcher = Fetcher(
        FetchSettings(
            user_agent="t", timeout=30.0, allowed_hosts=frozenset({"127.0.0.1"}), proxies={}
        )
    )
    started = time.monotonic()
    target = Target(TargetKind.url, f"http://127.0.0.1:{hostile_port}/slow-body")
    result = URLChecker(fetcher).check(target, started + 0.8)
    assert time.monotonic() - started < 1.5
    assert result is None or result.outcome is Outcome.timeout


@pytest.mark.parametrize(
    "address",
    [
        "100.64.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",
        "0.0.0.0",
        "198.18.0.1",
        "192.0.2.1",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "2001:db8::1",
        "64:ff9b::a00:1",
    ],
)
def test_every_non_global_address_is_refused(address: str) -> None:
    assert non_global_reason(address) == "not a global address"


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111", "8.8.8.8"])
def test_global_addresses_pass(address: str) -> None:
    assert non_global_reason(address) is None


# -- the fuzz suite: malformed pages ---------------------------------------------------------

NEWLINE_ERROR = "x\n\n::error file=docs/a.md,line=1::forged"
# Every text field the directive takes, and its other options.
OPTIONS = (*TEXT_FIELDS, "kind", "also-see", "id", "waive", "legacy-date", "legacy-source")
HOSTILE_VALUES = {
    "control": "a\x07b\x1b[31m",
    "fullwidth": "２０１９",
    "arabic": "٢٠١٩",
    "long-number": "1" * 5000,
    "javascript": "javascript:alert(1)",
    "html": "<script>alert(1)</script>",
    "bidi": "abc\u202edcba",
    "empty-ish": "\u200b",
    "bad-port": "http://example.org:99999/",
}
# Option values that hold a line break can only be written in a YAML option block.
YAML_VALUES = {
    "newline-command": "x\n::error file=docs/a.md,line=1::forged",
    "newline-warning": "y\ndocs/topics/x.md:5: WARNING: forged [sclero.doi]",
    "carriage-return": "z\r::warning::forged",
}


def _malformed_pages() -> dict[str, tuple[str, str]]:
    """Page name -> (Markdown, a rule that must report it); at least 150 pages."""
    pages: dict[str, tuple[str, str]] = {}
    base = {"journal": "Chest", "date": "2019", "pmid": "29898932"}
    for option in OPTIONS:
        for label, value in HOSTILE_VALUES.items():
            fields = {**base, option.replace("-", "_"): value}
            body = citation("A study of bone density", "It found something.", **fields)
            pages[f"opt-{option}-{label}"] = (f"# Page\n\n{body}", "")
    for option in ("kind", "journal", "date", "pmid", "waive", "also-see"):
        for label, value in YAML_VALUES.items():
            block = f"{option}: {json.dumps(value)}"  # a YAML double-quoted string
            body = (
                f"```{{citation}} A study of bone density\n---\n{block}\n---\n\n"
                "It found something.\n```\n"
            )
            pages[f"yaml-{option}-{label}"] = (f"# Page\n\n{body}", "")
    # Whole-page damage: each with the rule that must name it.
    whole = {
        "raw-html": ("# P\n\n<script>alert(1)</script>\n", "raw_html"),
        "bad-port-link": ("# P\n\n[x](http://example.org:99999/)\n", "url"),
        "letters-port-link": ("# P\n\n[x](http://example.org:abc/)\n", "url"),
        "no-title": ("# P\n\n```{citation}\n:journal: Chest\n\nText.\n```\n", "docutils"),
        "duplicate-option": (
            "# P\n\n"
            + citation(journal="Chest", date="2019").replace(
                ":date: 2019\n", ":date: 2019\n:date: 2020\n"
            ),
            "duplicate_option",
        ),
        "unknown-topic": ("# P\n\n{topic}`no-such-topic`\n", "topic_unknown"),
        "huge-pages": (
            "# P\n\n" + citation(journal="Chest", date="2019", pages="1-" + "9" * 5000),
            "too_long",
        ),
        "fullwidth-date": ("# P\n\n" + citation(journal="Chest", date="２０１９"), "date"),
        "arabic-pages": ("# P\n\n" + citation(journal="Chest", date="2019", pages="٤٣٣"), "pages"),
        "future-date": ("# P\n\n" + citation(journal="Chest", date="2999"), "date_future"),
        "impossible-date": ("# P\n\n" + citation(journal="Chest", date="2019-02-30"), "date"),
        "ambiguous-date": ("# P\n\n" + citation(journal="Chest", date="03/11/2016"), "date"),
        "stray-pmid": ("# P\n\n" + citation(journal="Chest", date="2019", pmid="3142O815"), "pmid"),
        "bad-legacy": (
            "# P\n\n" + citation(journal="Chest", date="2019", legacy_date="no reason given"),
            "myst",
        ),
        "bad-waiver": ("# P\n\n" + citation(journal="Chest", date="2019", waive="nope"), "myst"),
        "credentials-url": (
            "# P\n\n"
            + citation(journal="Chest", date="2019", url="https://user:secret@example.org/a"),
            "url",
        ),
    }
    for name, (text, rule) in whole.items():
        pages[f"page-{name}"] = (text, rule)
    return pages


MALFORMED = _malformed_pages()


def test_the_fuzz_suite_has_at_least_150_malformed_pages() -> None:
    assert len(MALFORMED) >= 150


@pytest.fixture(scope="module")
def fuzz_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], int]:
    """All malformed pages in one site (as topic pages), built once: (out, warnings, code)."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "topics").mkdir()
    for name, (text, _) in MALFORMED.items():
        (root / "topics" / f"{name}.md").write_text(text, encoding="utf-8")
    # Not UTF-8, and a byte sequence Sphinx would crash on without the extension's check.
    (root / "topics" / "page-latin1.md").write_bytes(b"# P\n\nline\ncaf\xe9 \xff\n")
    index = "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n"
    (root / "index.md").write_text(index, encoding="utf-8")
    repo = Path(__file__).parent.parent
    (root / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(repo / 'extensions')!r})\n"
        "extensions = ['myst_parser', 'sclero']\n"
        "myst_enable_extensions = ['colon_fence']\n"
        "myst_url_schemes = ['http', 'https', 'mailto']\n"
        "sclero_today = '2026-11-24'\n"
        "nitpicky = True\n"
        "suppress_warnings = ['sclero.link_unchecked', 'sclero.unverified']\n",
        encoding="utf-8",
    )
    out = root / "_build"
    done = subprocess.run(
        [str(Path(os.sys.executable)), "-m", "sphinx", "-b", "html", "-q", str(root), str(out)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(repo / "extensions")},
    )
    return out, done.stderr.splitlines(), done.returncode


def test_no_malformed_page_breaks_the_build(fuzz_build: tuple[Path, list[str], int]) -> None:
    out, lines, code = fuzz_build
    assert code == 0, "\n".join(lines[-20:])
    assert not any("Traceback" in line or "Exception" in line for line in lines)
    assert (out / "citation-report.json").exists()


def test_every_malformed_page_gets_a_located_finding(
    fuzz_build: tuple[Path, list[str], int],
) -> None:
    _, lines, _ = fuzz_build
    for name, (_, rule) in MALFORMED.items():
        here = [
            line
            for line in lines
            if f"/topics/{name}.md:" in line and (" WARNING: " in line or " ERROR: " in line)
        ]
        assert here, f"{name}: no located warning"
        if rule:
            tags = [line.rsplit("[", 1)[-1] for line in here]
            assert any(rule in tag for tag in tags), (name, rule, here)
    latin1 = [line for line in lines if "page-latin1.md:4:" in line]
    assert (
        latin1 == [next(line for line in lines if "page-latin1.md:4:" in line)]
        and "[sclero.encoding]" in latin1[0]
    )


def test_script_links_stay_text(build_pages: BuildPages) -> None:
    """markdown-it refuses javascript: links outright: the page shows the text, links nothing."""
    text = "# P\n\n[x](javascript:alert(1))\n\n<javascript:alert(2)>\n\n[y](data:text/html,x)\n"
    html = build_pages({"index": text + "\n[z](vbscript:msgbox)\n"}).html()
    assert "javascript:alert(1)" in html
    assert not re.search(r'href="(javascript|data|vbscript):', html)


def test_no_line_of_the_build_starts_a_workflow_command(
    fuzz_build: tuple[Path, list[str], int],
) -> None:
    """MyST quotes option values raw; a value with a newline must not start a line."""
    _, lines, _ = fuzz_build
    assert not [line for line in lines if line.startswith("::")]
    assert any("\\x0a" in line for line in lines)  # the newline, shown as an escape


def test_credentials_are_never_printed(fuzz_build: tuple[Path, list[str], int]) -> None:
    out, lines, _ = fuzz_build
    assert not any("secret" in line for line in lines)
    html = (out / "topics" / "page-credentials-url.html").read_text(encoding="utf-8")
    assert "secret" not in html
    assert "secret" not in (out / "link-report.json").read_text(encoding="utf-8")


# -- nothing is lost --------------------------------------------------------------------------


def test_download_files_of_two_pages_never_collide(build_pages: BuildPages) -> None:
    """zz-x and zz/x once wrote the same citations/zz-x.ris."""
    entry = citation(journal="Chest", date="2019")
    index = "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\ntopics/zz/*\n```\n"
    built = build_pages(
        {
            "index": index,
            "topics/zz-x": "# A\n\n" + entry,
            "topics/zz/x": "# B\n\n" + entry.replace("A study", "Another study"),
        }
    )
    assert built.warnings == []
    out = Path(built.app.outdir) / "citations"
    assert "A study" in (out / "zz-x.ris").read_text()
    assert "Another study" in (out / "zz" / "x.ris").read_text()


def test_pages_that_differ_only_in_case_are_a_located_error(build_pages: BuildPages) -> None:
    entry = citation(journal="Chest", date="2019")
    index = "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n"
    built = build_pages(
        {"index": index, "topics/Zz": "# A\n\n" + entry, "topics/zz": "# B\n\n" + entry}
    )
    assert built.warnings == [
        "topics/zz.md:1: WARNING: this page's citation files would overwrite those of "
        "'topics/Zz' on a file system that ignores case; rename one page [sclero.export_collision]"
    ]


def test_sitemap_lists_every_page_after_an_incremental_build(
    build_pages: BuildPages, tmp_path: Path
) -> None:
    pages = {f"p{i}": f"# Page {i}\n" for i in range(5)}
    pages["index"] = "# Home\n\n```{toctree}\n:glob:\n\np*\n```\n"
    conf = "html_baseurl = 'https://example.org/site/'\n"
    build_pages(pages, conf=conf, srcdir=tmp_path / "s")
    again = build_pages({"p1": "# Page one, edited\n"}, conf=conf, srcdir=tmp_path / "s")
    sitemap = (Path(again.app.outdir) / "sitemap.xml").read_text()
    assert sitemap.count("<loc>") == 6
    assert "<loc>https://example.org/site/p4.html</loc>" in sitemap


def test_a_duplicate_option_is_located(build_pages: BuildPages) -> None:
    text = citation(journal="Chest", date="2019").replace(
        ":date: 2019\n", ":date: 2019\n:date: 2020\n"
    )
    built = build_pages({"index": "# P\n\n" + text})
    assert built.warnings == [
        "index.md:6: WARNING: field :date: is given again; only one value is kept: delete one "
        "[sclero.duplicate_option]"
    ]


def test_a_citation_outside_a_topic_page_is_located(build_pages: BuildPages) -> None:
    built = build_pages(
        {"index": "# P\n\n" + citation(journal="Chest", date="2019")},
        conf="suppress_warnings = ['sclero.link_unchecked']",
    )
    assert built.warnings == [
        "index.md:3: WARNING: citation outside a topic page: it is not exported, listed or "
        "linked back; move it under the topic folder [sclero.placement]"
    ]


# -- the cache is never lost ------------------------------------------------------------------


def _filled(path: Path) -> Store:
    cache = Store(path, clock=lambda: 1_000.0)
    cache.put_all(
        CheckResult(Target(TargetKind.url, f"https://x.org/{i}"), Outcome.working, 200)
        for i in range(58)
    )
    cache.close()
    return cache


def _rows(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM results").fetchone()[0])


def test_a_locked_cache_is_waited_for_then_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sclero.net.store as cache_module

    path = tmp_path / "links.sqlite3"
    _filled(path)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(cache_module, "LOCK_WAIT", 0.2)
    cache = Store(path)
    assert cache.problem is not None and "locked" in cache.problem
    cache.put(CheckResult(Target(TargetKind.url, "https://x.org/new"), Outcome.working, 200))
    cache.close()
    holder.rollback()
    holder.close()
    assert _rows(path) == 58  # nothing discarded, nothing of this build written
    assert not path.with_suffix(".sqlite3.corrupt").exists()


def _make_read_only(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)  # root ignores file modes
    else:
        path.chmod(0o444)


def _make_writable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o644)


def test_a_read_only_cache_is_read_and_not_written(tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite3"
    _filled(path)
    _make_read_only(path)
    try:
        cache = Store(path)
        assert cache.problem is not None and "not kept" in cache.problem
        assert cache.get(Target(TargetKind.url, "https://x.org/3")) is not None
        new = Target(TargetKind.url, "https://x.org/new")
        cache.put(CheckResult(new, Outcome.working, 200))
        assert cache.get(new) is not None  # this build still sees its own results
        cache.close()
    finally:
        _make_writable(path)
    assert _rows(path) == 58


def test_a_cache_of_another_schema_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE results (url TEXT PRIMARY KEY, outcome TEXT)")
        db.execute("INSERT INTO results VALUES ('https://x.org/', 'working')")
    cache = Store(path)
    assert cache.problem == (
        "has another schema (tables results); kept as links.sqlite3.other-schema and started a "
        "new one"
    )
    cache.close()
    assert path.with_suffix(".sqlite3.other-schema").exists()


def test_only_a_corrupt_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite3"
    _filled(path)
    again = Store(path)
    assert again.problem is None and again.get(Target(TargetKind.url, "https://x.org/1"))
    again.close()


def test_a_read_only_cache_lets_a_whole_build_run(build_pages: BuildPages, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    path = folder / "links.sqlite3"
    _filled(path)
    _make_read_only(path)
    try:
        conf = f"sclero_linkcheck_cache = {str(path)!r}\nsuppress_warnings = []\n"
        built = build_pages({"index": "# P\n\n[x](https://x.org/1)\n"}, conf=conf)
    finally:
        _make_writable(path)
    assert [w.split(" WARNING: ")[1][:60] for w in built.warnings] == [
        "link cache is read-only (attempt to write a readonly databas"
    ]
    assert json.loads((Path(built.app.outdir) / "link-report.json").read_text())["occurrences"]


def test_a_redirect_to_localhost_is_refused_by_name(hostile_port: int) -> None:
    """Not "unreachable" (a DNS answer) but refused: localhost is loopback by definition."""
    target = Target(TargetKind.url, f"http://127.0.0.1:{hostile_port}/to-localhost")
    result = URLChecker(_fetcher()).check(target, time.monotonic() + 30, set())
    assert result is not None
    assert (result.outcome, result.detail) == (
        Outcome.refused,
        "localhost is a loopback name (RFC 6761), not a global address",
    )


def test_a_link_with_credentials_is_a_finding_and_never_published(
    build_pages: BuildPages,
) -> None:
    built = build_pages(
        {
            "index": "# Home\n\nSee [the data](https://user:secret@example.org/data).\n\n"
            "And <https://admin:hunter2@example.org/x>.\n"
        }
    )
    assert built.warnings == [
        "index.md:3: WARNING: link 'https://***@example.org/data' carries a user name or "
        "password; a page must not publish them (remove them; the link is shown and checked "
        "without them) [sclero.url]",
        "index.md:5: WARNING: link 'https://***@example.org/x' carries a user name or "
        "password; a page must not publish them (remove them; the link is shown and checked "
        "without them) [sclero.url]",
    ]
    html = built.html()
    assert "secret" not in html and "hunter2" not in html
    assert 'href="https://example.org/data"' in html
    report = (Path(built.app.outdir) / "link-report.json").read_text(encoding="utf-8")
    assert "secret" not in report and "hunter2" not in report
