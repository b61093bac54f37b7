"""Verdicts of unchanged pages kept between builds, and made again when what they read changes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sclero.model.targets import CheckResult, Outcome, Target, TargetKind
from sclero.net.memo import JUDGE, PageMemo, settings_token
from sclero.net.store import Store

from .conftest import BuildPages, citation
from .linkserver import Log
from .test_linkcheck import conf, server  # noqa: F401  (the module's server fixture)

NOW = 2_000_000_000.0


def _env(doctrees: str = "/site/_build/doctrees", **read_at: float) -> Any:
    return SimpleNamespace(all_docs=dict(read_at), doctreedir=doctrees)


def _settings(**values: object) -> Any:
    return [SimpleNamespace(name=k, value=v) for k, v in values.items()]


def test_kept_verdicts_hold_until_page_rows_or_time_change(tmp_path: Path) -> None:
    cache = Store(tmp_path / "links.sqlite3", clock=lambda: NOW)
    token = settings_token(_settings(sclero_linkcheck_mode="offline"), "offline", 1)
    memo = PageMemo(cache, JUDGE, token, _env(index=1.0, other=1.0))
    memo.put("index", {"rows": ["a"]})
    memo.put("other", {"rows": ["b"]}, horizon=NOW + 60)
    memo.save()

    again = PageMemo(cache, JUDGE, token, _env(index=1.0, other=1.0))
    assert again.get("index", NOW, dict) == {"rows": ["a"]}
    assert again.get("other", NOW, dict) == {"rows": ["b"]}
    # A record the verdicts read goes stale at the horizon.
    assert again.get("other", NOW + 60, dict) is None
    # The page was read again.
    assert PageMemo(cache, JUDGE, token, _env(index=2.0)).get("index", NOW, dict) is None
    # Other settings.
    other = settings_token(_settings(sclero_linkcheck_mode="offline", sclero_x=1), "offline", 1)
    assert PageMemo(cache, JUDGE, other, _env(index=1.0)).get("index", NOW, dict) is None
    # New rows in the cache: a new generation.
    cache.put_all([CheckResult(Target(TargetKind.url, "https://example.org/"), Outcome.working)])
    assert PageMemo(cache, JUDGE, token, _env(index=1.0)).get("index", NOW, dict) is None
    # Formatted citations are no verdicts' input: storing one keeps the generation.
    generation = cache.generation
    cache.put_lookups([("cite:x", {"text": "x"})], verdicts=False)
    assert cache.generation == generation


def test_two_build_folders_sharing_the_cache_keep_their_own_verdicts(tmp_path: Path) -> None:
    """make live beside make html: each folder read the page at its own time."""
    cache = Store(tmp_path / "links.sqlite3", clock=lambda: NOW)
    html, live = _env("/site/_build/doctrees", index=1.0), _env("/site/_build/live", index=5.0)
    for env, rows in ((html, ["html"]), (live, ["live"])):
        memo = PageMemo(cache, JUDGE, "t", env)
        memo.put("index", {"rows": rows})
        memo.save()
    assert PageMemo(cache, JUDGE, "t", html).get("index", NOW, dict) == {"rows": ["html"]}
    assert PageMemo(cache, JUDGE, "t", live).get("index", NOW, dict) == {"rows": ["live"]}


def test_a_private_copy_of_the_cache_keeps_nothing(tmp_path: Path) -> None:
    """A locked or read-only file is read into memory, whose generations are its own."""
    cache = Store(tmp_path / "links.sqlite3", clock=lambda: NOW)
    kept = PageMemo(cache, JUDGE, "t", _env(index=1.0))
    kept.put("index", {"rows": []})
    kept.save()
    cache.writable = False  # what opening a locked or read-only file leaves
    private = PageMemo(cache, JUDGE, "t", _env(index=1.0))
    assert private.get("index", NOW, dict) is None
    private.put("index", {"rows": ["new"]})
    private.save()
    cache.writable = True
    assert PageMemo(cache, JUDGE, "t", _env(index=1.0)).get("index", NOW, dict) == {"rows": []}


def test_incremental_build_reuses_verdicts_and_sees_new_answers(
    build_pages: BuildPages,
    server: tuple[int, Log],  # noqa: F811
    tmp_path: Path,
) -> None:
    port, _ = server
    url = f"http://127.0.0.2:{port}/missing?memo"
    pages = {"index": f"# Home\n\nSee [the study]({url}).\n"}
    src, db = tmp_path / "site", tmp_path / "cache" / "links.sqlite3"
    settings = conf(port, tmp_path, mode="offline", sclero_linkcheck_now=NOW)
    first = build_pages(pages, conf=settings, srcdir=src)
    assert "1 external link occurrences not checked yet" in first.status
    # A result written behind the cache's back (no new generation): the kept verdict stands,
    # which shows the page was not judged again.
    with sqlite3.connect(db) as raw:
        raw.execute(
            "INSERT INTO results VALUES ('url', ?, 'broken', 404, '404', '', '[]', ?, ?)",
            (url, NOW, NOW - 86400),
        )
    second = build_pages({}, conf=settings, srcdir=src)
    assert second.warnings == []
    assert "1 external link occurrences not checked yet" in second.status
    # The same answer stored as the link check stores it: a new generation, judged again.
    with sqlite3.connect(db) as raw:
        raw.execute("DELETE FROM results")
    cache = Store(db, clock=lambda: NOW - 86400)
    cache.put_all([CheckResult(Target(TargetKind.url, url), Outcome.broken, 404, "404")])
    cache.close()
    cache = Store(db, clock=lambda: NOW)
    cache.put_all([CheckResult(Target(TargetKind.url, url), Outcome.broken, 404, "404")])
    cache.close()
    third = build_pages({}, conf=settings, srcdir=src)
    assert third.warnings == [f"index.md:3: WARNING: {url} is broken (404) [sclero.link_broken]"]
    report = json.loads((Path(third.app.outdir) / "link-report.json").read_text())
    assert [r["outcome"] for r in report["occurrences"]] == ["broken"]


def test_kept_verdicts_round_trip_whole() -> None:
    """Every field of a verification and a finding survives being kept (none forgotten)."""
    from sclero.model.records import Finding
    from sclero.model.registry_record import Notice, NoticeKind
    from sclero.model.rules import Subtype
    from sclero.model.verification import Verification

    notice = Notice(NoticeKind.retraction, "Retraction in", "1", "10.1/x", "2020-01-02", "PubMed")
    verification = Verification("verified", "PubMed", "2026-01-01", "Doe J et al.", "PubMed",
                                (notice,))  # fmt: skip
    assert Verification.from_json(json.loads(json.dumps(verification.to_json()))) == verification
    # The page's digest is the same made fresh or read back, so a kept page is not rewritten.
    from sclero.model.verification import page_digest

    kept = {"a": verification.to_json()}
    assert page_digest(kept) == page_digest(json.loads(json.dumps(kept)))
    assert page_digest(kept) != page_digest({"a": Verification("unverified").to_json()})
    # A kept shape this version did not write is refused (the memo drops the row).
    for broken in (
        {**kept["a"], "extra": 1},
        {**kept["a"], "state": "proven"},
        {"state": "none"},
        {**kept["a"], "study": "bogus"},
        {**kept["a"], "authors": ["Doe J"]},
        {**kept["a"], "recorded": "yes"},
    ):
        with pytest.raises((KeyError, TypeError, ValueError)):
            Verification.from_json(broken)
    finding = Finding("topics/a", 3, Subtype.retracted, "m", "anchor", "pmid", "")
    again = Finding.from_json(json.loads(json.dumps(finding.to_json())))
    assert (again, again.citation, again.field, again.path) == (finding, "anchor", "pmid", "")


def test_a_build_writes_the_store_in_one_commit(
    build_pages: BuildPages,
    server: tuple[int, Log],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Links, records, look-ups, formatted citations and kept verdicts of five topic pages:
    one commit (a commit is a sync to disk; one per page or entry grew with the site)."""
    port, _ = server
    commits: list[Path] = []
    original = Store._commit

    def counted(self: Store) -> None:
        commits.append(self.path)
        original(self)

    monkeypatch.setattr(Store, "_commit", counted)
    entry = citation(
        "Management of bone health in patients with celiac disease: Practical guide for "
        "clinicians", journal="Can Fam Physician", date="2018-06", volume="64", issue="6",
        pages="433-438", pmid="29898932",
    )  # fmt: skip
    pages = {f"topics/t{i}": f"# T{i}\n\n{entry}\nSee [a]({_url(port, i)}).\n" for i in range(5)}
    pages["index"] = "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n"
    built = build_pages(pages, conf=conf(port, tmp_path, mode="budget"))
    assert built.warnings == []
    assert commits == [tmp_path / "cache" / "links.sqlite3"]
    with sqlite3.connect(commits[0]) as raw:  # and what the build learnt is in the file
        assert raw.execute("SELECT COUNT(*) FROM results").fetchone()[0] >= 6
        assert raw.execute("SELECT COUNT(*) FROM lookups WHERE key LIKE 'cite:%'").fetchone()[0]


def _url(port: int, i: int) -> str:
    return f"http://127.0.0.2:{port}/ok?page={i}"
