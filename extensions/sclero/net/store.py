"""The persistent link cache (SQLite): results, identifiers' records, identifier look-ups.

Results carry a time-to-live and flap damping. Verdicts per page (see memo.py) are kept
beside them, with the generation of the rows they were made from: a write of results,
records or identifier look-ups starts a new generation.
The cache is never lost by accident: a file another process has locked is waited for and
then left alone, a read-only one is read without writing, one with another schema is moved
aside, and only a file that really is corrupt is replaced.
"""

from __future__ import annotations

import json
import math
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from ..model.targets import FAILING, TRANSIENT, CheckResult, Outcome, Target, time_to_live

SCHEMA_VERSION = "2"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER NOT NULL,
    detail TEXT NOT NULL,
    new_url TEXT NOT NULL,
    missing_anchors TEXT NOT NULL,   -- JSON list of fragments the page lacks
    checked_at REAL NOT NULL,
    first_failed_at REAL,            -- start of the current run of failures, or NULL
    PRIMARY KEY (kind, value)
);
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    data TEXT NOT NULL,              -- the record as JSON (see record.py)
    fetched_at REAL NOT NULL,
    PRIMARY KEY (kind, value)
);
CREATE TABLE IF NOT EXISTS lookups (
    key TEXT PRIMARY KEY,            -- what was looked up (see registries.py)
    data TEXT NOT NULL,
    looked_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS verdicts (
    docname TEXT NOT NULL,
    stage TEXT NOT NULL,             -- "verify" or "judge" (see memo.py)
    token TEXT NOT NULL,             -- what they were made from; another token, made again
    horizon REAL NOT NULL,           -- when a row they read goes stale
    data TEXT NOT NULL,
    PRIMARY KEY (docname, stage)
);
"""
# Added to schema 2 without a new version: an older file gains the table when opened.
_TABLES = {"meta", "results", "records", "lookups", "verdicts"}
# How long another process's lock is waited for before the build goes on without the cache.
LOCK_WAIT = 10.0
_CORRUPT = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
_LOCKED = {"SQLITE_BUSY", "SQLITE_LOCKED"}


@dataclass(frozen=True)
class CachedResult:
    """A stored result with its timing."""

    result: CheckResult
    checked_at: float
    first_failed_at: float | None

    def fresh(self, now: float) -> bool:
        """Still within its outcome's time-to-live."""
        return now - self.checked_at < time_to_live(self.result.target, self.result.outcome)

    def confirmed(self, now: float, damping: float) -> bool:
        """A failure counts only once it has lasted ``damping`` seconds (two checks apart)."""
        return (
            self.result.outcome in FAILING
            and self.first_failed_at is not None
            and self.checked_at - self.first_failed_at >= damping
        )


@dataclass(frozen=True)
class Stored:
    """A record or look-up as stored, with the time it was fetched."""

    data: dict[str, object]
    at: float


class Store:
    """The project's one persistent store: link results, records, look-ups, formatted text."""

    def __init__(
        self, path: Path, clock: Callable[[], float] = time.time, *, deferred: bool = False
    ) -> None:
        """Open (or create) the cache at ``path``; ``clock`` is injectable for tests.

        ``deferred``: writes are committed together by ``flush`` (a build's store is written
        once: a commit is a sync to disk, and per-page commits grew with the pages).
        """
        self.path = path
        self.clock = clock
        self.deferred = deferred
        # The writes not yet committed (deferred), to run again on a private copy if the
        # file refuses the commit.
        self._pending: list[Callable[[], object]] = []
        self.problem: str | None = None
        self.writable = True
        # While a page's verdicts are made (memo.py): when each record read was fetched.
        self.records_read: list[float] | None = None
        # Rows that could not be read (a column of the wrong type, JSON that does not parse):
        # treated as absent, so they are fetched again and replaced; counted once each.
        self.dropped: set[tuple[str, str]] = set()
        self._db = self._open_safely()

    # -- opening without ever losing a good file ----------------------------------------

    def _open_safely(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._open(self.path)
        except sqlite3.DatabaseError as error:
            name = getattr(error, "sqlite_errorname", "")
            if name in _LOCKED:
                return self._without(f"is locked by another process ({error}); not used")
            if name in _CORRUPT or "not a database" in str(error):
                return self._set_aside(".corrupt", f"was unreadable ({error})")
            if isinstance(error, _UnknownSchema):
                return self._set_aside(".other-schema", f"has another schema ({error})")
            return self._read_only(error)
        except OSError as error:
            return self._read_only(error)

    def _open(self, path: Path, read_only: bool = False) -> sqlite3.Connection:
        uri = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
        db = sqlite3.connect(uri, uri=read_only, timeout=LOCK_WAIT, check_same_thread=False)
        try:
            tables = {
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if tables and not (tables <= _TABLES and "meta" in tables):
                raise _UnknownSchema(f"tables {', '.join(sorted(tables))}")
            if tables:
                row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if row is None or row[0] != SCHEMA_VERSION:
                    raise _UnknownSchema(f"schema {row[0] if row else 'unknown'}")
            if not read_only:
                with db:
                    db.executescript(SCHEMA)
                    db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                    # Which file this is: a new file's generations start again from 0.
                    db.execute(
                        "INSERT OR IGNORE INTO meta VALUES ('id', ?)", (secrets.token_hex(8),)
                    )
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self, suffix: str, why: str) -> sqlite3.Connection:
        aside = self.path.with_suffix(self.path.suffix + suffix)
        try:
            self.path.replace(aside)
        except OSError as error:
            return self._without(f"{why} and could not be moved aside ({error}); not used")
        self.problem = f"{why}; kept as {aside.name} and started a new one"
        return self._open_safely_after_move()

    def _open_safely_after_move(self) -> sqlite3.Connection:
        try:
            return self._open(self.path)
        except (sqlite3.DatabaseError, OSError) as error:
            return self._without(f"could not be created ({error}); not used")

    def _read_only(self, error: BaseException) -> sqlite3.Connection:
        if self.path.exists():
            try:
                db = self._open(self.path, read_only=True)
            except (sqlite3.DatabaseError, OSError):
                pass
            else:
                self.problem = f"is read-only ({error}); results of this build are not kept"
                return self._in_memory(db)
        return self._without(f"cannot be written ({error}); results of this build are not kept")

    def _without(self, why: str) -> sqlite3.Connection:
        """An empty in-memory cache: the build goes on, the file is left as it is."""
        self.problem = why
        return self._in_memory(None)

    def _in_memory(self, source: sqlite3.Connection | None) -> sqlite3.Connection:
        """A private copy of ``source`` (or an empty cache) for this build; nothing is kept."""
        self.writable = False
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        if source is not None:
            source.backup(memory)
            source.close()
        memory.executescript(SCHEMA)
        return memory

    # -- link results ------------------------------------------------------------------

    def get(self, target: Target) -> CachedResult | None:
        """The stored result of ``target``, if any."""
        row = self._db.execute(
            "SELECT outcome, status, detail, new_url, missing_anchors, checked_at, "
            "first_failed_at FROM results WHERE kind = ? AND value = ?",
            (target.kind.value, target.value),
        ).fetchone()
        if row is None:
            return None
        outcome, status, detail, new_url, missing, checked_at, first_failed_at = row
        anchors = _json_of(missing)
        if not (
            outcome in _OUTCOMES
            and _is_int(status)
            and isinstance(detail, str)
            and isinstance(new_url, str)
            and isinstance(anchors, list)
            and all(isinstance(a, str) for a in anchors)
            and _is_time(checked_at)
            and (first_failed_at is None or _is_time(first_failed_at))
        ):
            self.dropped.add(("results", str(target)))
            return None
        result = CheckResult(target, Outcome(outcome), status, detail, new_url, frozenset(anchors))
        return CachedResult(result, checked_at, first_failed_at)

    def put(self, result: CheckResult) -> CachedResult:
        """Store one result and commit."""
        self.put_all([result])
        stored = self.get(result.target)
        assert stored is not None  # just written
        return stored

    def put_all(self, results: Iterable[CheckResult]) -> None:
        """Store many results in one transaction (a commit each would cost a sync each)."""
        items = list(results)
        if not items:
            return

        def store() -> None:
            for result in items:
                self._store(result)

        self._write(store, new_generation=True)

    def _store(self, result: CheckResult) -> CachedResult:
        """Store one result, keeping the start of a run of failures.

        A failure after a failure keeps the run's start; a passing fault neither ends a run
        nor starts one.
        """
        now = self.clock()
        previous = self.get(result.target)
        before = previous.first_failed_at if previous is not None else None
        first_failed: float | None = None
        if result.outcome in FAILING:
            first_failed = before if before is not None else now
        elif result.outcome in TRANSIENT:
            first_failed = before
        self._db.execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (result.target.kind.value, result.target.value, result.outcome.value, result.status,
             result.detail, result.new_url, json.dumps(sorted(result.missing_anchors)), now,
             first_failed),
        )  # fmt: skip
        return CachedResult(result, now, first_failed)

    # -- records and look-ups ----------------------------------------------------------

    def record(self, target: Target) -> Stored | None:
        """The stored record of an identifier, if any."""
        row = self._db.execute(
            "SELECT data, fetched_at FROM records WHERE kind = ? AND value = ?",
            (target.kind.value, target.value),
        ).fetchone()
        stored = self._stored(row, "records", str(target))
        if stored is not None and self.records_read is not None:
            self.records_read.append(stored.at)
        return stored

    def put_records(self, records: Iterable[tuple[Target, dict[str, object]]]) -> None:
        """Store fetched records (never a failure to fetch one)."""
        now = self.clock()
        rows = [
            (t.kind.value, t.value, json.dumps(data, sort_keys=True), now) for t, data in records
        ]
        if not rows:
            return
        self._write(
            lambda: self._db.executemany(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)", rows
            ),
            new_generation=True,
        )

    def lookup(self, key: str) -> Stored | None:
        """A stored identifier look-up (a candidate search), if any."""
        row = self._db.execute(
            "SELECT data, looked_at FROM lookups WHERE key = ?", (key,)
        ).fetchone()
        return self._stored(row, "lookups", key)

    def _stored(self, row: tuple[object, object] | None, table: str, key: str) -> Stored | None:
        """A record or look-up row as stored: a JSON object and a time, else dropped."""
        if row is None:
            return None
        data, at = _json_of(row[0]), row[1]
        if not (isinstance(data, dict) and _is_time(at)):
            self.dropped.add((table, key))
            return None
        return Stored(data, float(at))

    def put_lookups(
        self, lookups: Iterable[tuple[str, dict[str, object]]], *, verdicts: bool = True
    ) -> None:
        """Store answered look-ups; ``verdicts=False`` for those no verdict reads (cite.py)."""
        now = self.clock()
        rows = [(key, json.dumps(data, sort_keys=True), now) for key, data in lookups]
        if not rows:
            return
        self._write(
            lambda: self._db.executemany("INSERT OR REPLACE INTO lookups VALUES (?, ?, ?)", rows),
            new_generation=verdicts,
        )

    # -- generations and kept verdicts -------------------------------------------------

    @property
    def generation(self) -> str:
        """The file's id and the generation of its rows (verdicts made from them still hold)."""
        rows = dict(
            self._db.execute("SELECT key, value FROM meta WHERE key IN ('id', 'generation')")
        )
        return f"{rows.get('id', '')}:{rows.get('generation', '0')}"

    def verdicts(self, stage: str, name: str = "") -> dict[str, tuple[str, float, str]]:
        """Docname -> (token, horizon, data as JSON) of every page's kept verdicts.

        ``name``: the stage as a dropped row is reported (``stage`` by default).
        """
        rows = self._db.execute(
            "SELECT docname, token, horizon, data FROM verdicts WHERE stage = ?", (stage,)
        )
        kept = {}
        for docname, token, horizon, data in rows:
            if isinstance(token, str) and _is_time(horizon) and isinstance(data, str):
                kept[docname] = (token, horizon, data)
            else:
                self.dropped.add((f"verdicts/{name or stage}", str(docname)))
        return kept

    def put_verdicts(self, stage: str, rows: Iterable[tuple[str, str, float, str]]) -> None:
        """Keep pages' verdicts: (docname, token, horizon, data as JSON) each."""
        items = [(docname, stage, token, horizon, data) for docname, token, horizon, data in rows]
        if items:
            self._write(
                lambda: self._db.executemany(
                    "INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?, ?, ?)", items
                )
            )

    def _commit(self) -> None:
        try:
            self._db.commit()
        except sqlite3.OperationalError as error:
            # Locked (or made read-only) since it was opened: this build's rows are lost from
            # the file, so the caller stores them again in a private copy (see _write).
            self._db.rollback()
            self.problem = f"could not be written ({error}); results of this build are not kept"
            raise _WriteFailedError from error

    def _write(self, store: Callable[[], object], new_generation: bool = False) -> None:
        """Run ``store`` and commit; if the file refuses, run it again on a private copy.

        ``new_generation``: the rows verdicts are made from changed (in the same transaction).
        """
        if new_generation:
            change = store

            def store() -> None:
                change()
                self._db.execute(
                    "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE "
                    "SET value = CAST(value AS INTEGER) + 1"
                )

        self._pending.append(store)
        try:
            store()
            if not self.deferred:
                self._commit()
                self._pending.clear()
        except (_WriteFailedError, sqlite3.OperationalError):
            self._keep_privately()

    def flush(self) -> None:
        """Commit the deferred writes at once; if the file refuses, keep them privately."""
        if not self._pending:
            return
        try:
            self._commit()
            self._pending.clear()
        except (_WriteFailedError, sqlite3.OperationalError):
            self._keep_privately()

    def _keep_privately(self) -> None:
        """The file refused: this build's writes, run again on an in-memory copy of it."""
        self._db.rollback()
        problem = self.problem
        try:
            self._db = self._in_memory(self._db)
        except sqlite3.DatabaseError:
            self._db = self._in_memory(None)
        self.problem = problem or "could not be written; results of this build are not kept"
        pending, self._pending = self._pending, []
        for store in pending:
            store()
        self._db.commit()

    def close(self) -> None:
        """Close the database."""
        self._db.close()


_OUTCOMES = frozenset(outcome.value for outcome in Outcome)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_time(value: object) -> TypeGuard[float]:
    """A stored time: a number (SQLite keeps whatever type a row was given); inf is "never"."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)


def _json_of(text: object) -> object:
    """A column's JSON, or None when it is not JSON text."""
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


class _UnknownSchema(sqlite3.DatabaseError):
    """The file is a database, but not one this version wrote."""


class _WriteFailedError(Exception):
    """The file refused a commit."""
