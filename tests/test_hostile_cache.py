"""Store rows are validated on reading: a corrupt row is dropped and counted, never a crash.

A build against the local registries fills every table of the store (link results, records,
kept verdicts); each test then corrupts one column of one table, as another tool or a bad
disk might, and builds again. The build finishes, says in one note how many rows it dropped,
and keeps every healthy row.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from sclero.linkcheck.occurrences import read_judged
from sclero.net.memo import JUDGE, PageMemo
from sclero.net.store import Store

from .conftest import BuildPages
from .linkserver import Log, serve
from .test_verify import celiac, registries, topic

# (table, column, a value of the wrong kind). SQLite keeps whatever type a row is given:
# a TEXT column turns numbers into text, so a BLOB stands for "not text" there.
CORRUPTIONS = [
    ("results", "outcome", "'nonsense'"),
    ("results", "status", "'two hundred'"),
    ("results", "detail", "x'00ff'"),
    ("results", "new_url", "x'00ff'"),
    ("results", "missing_anchors", "'{not json'"),
    ("results", "checked_at", "'yesterday'"),
    ("results", "first_failed_at", "'never'"),
    ("records", "data", "'{not json'"),
    ("records", "data", "'[1, 2]'"),
    ("records", "fetched_at", "'yesterday'"),
    # A record whose own fields have the wrong type (JSON that parses, of another shape).
    ("records", "data", "json_set(data, '$.title', 5)"),
    ("records", "data", "json_set(data, '$.authors', json('[1, 2]'))"),
    ("records", "data", "json_set(data, '$.retracted', 'no')"),
    ("lookups", "data", "'{not json'"),
    ("lookups", "looked_at", "'yesterday'"),
]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, Log]]:
    with serve() as running:
        yield running


def _page(port: int) -> dict[str, str]:
    return topic("celiac", celiac() + f"\nSee [the page](http://127.0.0.1:{port}/ok).\n")


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.mark.parametrize(("table", "column", "value"), CORRUPTIONS)
@pytest.mark.parametrize("mode", ["offline", "budget"])
def test_a_corrupt_row_is_dropped_and_counted(
    build_pages: BuildPages,
    server: tuple[int, Log],
    tmp_path: Path,
    table: str,
    column: str,
    value: str,
    mode: str,
) -> None:
    port, _ = server
    cache = tmp_path / "cache"
    conf = registries(port, cache, sclero_linkcheck_now=1_795_000_000.0)
    first = build_pages(_page(port), conf=conf, srcdir=tmp_path / "a")
    assert first.warnings == []
    path = cache / "cache" / "links.sqlite3"
    healthy = {t: _count(path, t) for t in ("results", "records", "lookups", "verdicts")}
    assert all(healthy.values()), healthy  # the first build filled every table
    with sqlite3.connect(path) as db:
        db.execute(f"UPDATE {table} SET {column} = {value}")
        corrupted = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # A fresh project: it has no verdicts to keep, so it reads every row its pages need.
    again = build_pages(
        _page(port),
        conf=registries(port, cache, mode, sclero_linkcheck_now=1_795_000_000.0),
        srcdir=tmp_path / "b",
    )

    assert again.warnings == []
    assert "Traceback" not in again.status
    notes = [line for line in again.status.splitlines() if "[sclero.link_cache_rows]" in line]
    assert len(notes) == 1, again.status
    found = re.search(
        rf"note: link cache: (\d+) rows? could not be read and were dropped \([^)]*\b{table}\b"
        r"[^)]*\); they are fetched or made again",
        notes[0],
    )
    assert found is not None, notes[0]
    assert 1 <= int(found[1]) <= corrupted
    # The other tables' rows are all still there (and the dropped ones written again).
    for other, count in healthy.items():
        if other != table:
            assert _count(path, other) >= count, other


# Kept verdicts, corrupted column by column: (column, value, what the reader is given).
VERDICT_CORRUPTIONS = [
    ("token", "x'00ff'"),
    ("horizon", "'later'"),
    ("data", "'{not json'"),
    ("data", '\'{"rows": 3, "findings": [], "unchecked": 0}\''),
    ("data", '\'{"rows": [], "findings": [[1]], "unchecked": 0}\''),
    ("data", "'{\"rows\": []}'"),
]


@pytest.mark.parametrize(("column", "value"), VERDICT_CORRUPTIONS)
def test_a_corrupt_kept_verdict_is_made_again(tmp_path: Path, column: str, value: str) -> None:
    """The link check's own reader of kept verdicts, given each corrupt row: None, counted."""
    now = 2_000_000_000.0
    env = SimpleNamespace(all_docs={"index": 1.0, "other": 1.0}, doctreedir=str(tmp_path / "dt"))
    store = Store(tmp_path / "links.sqlite3", clock=lambda: now)
    memo = PageMemo(store, JUDGE, "t", env)  # type: ignore[arg-type]
    healthy = {"rows": ['{"url": "https://example.org/"}'], "findings": [], "unchecked": 1}
    memo.put("index", healthy)
    memo.put("other", healthy)
    memo.save()
    with sqlite3.connect(store.path) as db:
        db.execute(f"UPDATE verdicts SET {column} = {value} WHERE docname = 'index'")

    again = PageMemo(store, JUDGE, "t", env)  # type: ignore[arg-type]
    assert again.get("index", now, read_judged) is None
    kept = again.get("other", now, read_judged)
    assert kept is not None and kept.unchecked == 1  # the healthy row is read as it was
    assert store.dropped == {("verdicts/judge", "index")}


def test_a_refused_commit_at_the_end_keeps_the_builds_writes_privately(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes deferred to one commit; another process holds the file when it comes: every
    write of the build is still readable (from a private copy) and the problem is said."""
    import sclero.net.store as store_module
    from sclero.model.targets import CheckResult, Outcome, Target, TargetKind

    monkeypatch.setattr(store_module, "LOCK_WAIT", 0.2)
    path = tmp_path / "links.sqlite3"
    store = Store(path, clock=lambda: 2_000_000_000.0, deferred=True)
    url = Target(TargetKind.url, "https://example.org/a")
    store.put_all([CheckResult(url, Outcome.working, 200)])
    store.put_lookups([("cite:x", {"texts": {"ama": "A."}})], verdicts=False)
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM results").fetchone()  # a shared lock: no commit now
    store.flush()
    reader.rollback()
    reader.close()
    assert store.problem is not None and "not kept" in store.problem
    cached = store.get(url)
    assert cached is not None and cached.result.outcome is Outcome.working
    stored = store.lookup("cite:x")
    assert stored is not None and stored.data == {"texts": {"ama": "A."}}
    store.close()
    with sqlite3.connect(path) as raw:  # nothing half-written reached the file
        assert raw.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 0
