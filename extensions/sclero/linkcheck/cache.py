"""The persistent link-result cache (SQLite), with time-to-live and flap damping."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .model import FAILING, TTL, CheckResult, Outcome

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    url TEXT PRIMARY KEY,
    outcome TEXT NOT NULL,
    status INTEGER NOT NULL,
    detail TEXT NOT NULL,
    new_url TEXT NOT NULL,
    checked_at REAL NOT NULL,
    first_failed_at REAL            -- start of the current run of failures, or NULL
);
"""


@dataclass(frozen=True)
class CachedResult:
    """A stored result with its timing."""

    result: CheckResult
    checked_at: float
    first_failed_at: float | None

    def fresh(self, now: float) -> bool:
        """Still within its outcome's time-to-live."""
        return now - self.checked_at < TTL.get(self.result.outcome, 0)

    def confirmed(self, now: float, damping: float) -> bool:
        """A failure counts only once it has lasted ``damping`` seconds (two checks apart)."""
        return (
            self.result.outcome in FAILING
            and self.first_failed_at is not None
            and self.checked_at - self.first_failed_at >= damping
        )


class LinkCache:
    """URL -> last result; a corrupt file is set aside and rebuilt, never a crash."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        """Open (or create) the cache at ``path``; ``clock`` is injectable for tests."""
        self.path = path
        self.clock = clock
        self.rebuilt_because: str | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as error:
            # Keep the damaged file for inspection; start afresh.
            self.rebuilt_because = str(error)
            path.replace(path.with_suffix(path.suffix + ".corrupt"))
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.executescript(SCHEMA)
        db.execute("SELECT count(*) FROM results").fetchone()
        return db

    def get(self, url: str) -> CachedResult | None:
        """The stored result of ``url``, if any."""
        row = self._db.execute(
            "SELECT outcome, status, detail, new_url, checked_at, first_failed_at "
            "FROM results WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        outcome, status, detail, new_url, checked_at, first_failed_at = row
        try:
            result = CheckResult(url, Outcome(outcome), status, detail, new_url)
        except ValueError:
            return None
        return CachedResult(result, checked_at, first_failed_at)

    def put(self, result: CheckResult) -> CachedResult:
        """Store a new result; a failure after a failure keeps the run's start time."""
        stored = self._store(result)
        self._db.commit()
        return stored

    def put_all(self, results: Iterable[CheckResult]) -> None:
        """Store many results in one transaction (a commit each would cost a sync each)."""
        for result in results:
            self._store(result)
        self._db.commit()

    def _store(self, result: CheckResult) -> CachedResult:
        now = self.clock()
        previous = self.get(result.url)
        first_failed: float | None = None
        if result.outcome in FAILING:
            if previous is not None and previous.result.outcome in FAILING:
                first_failed = previous.first_failed_at or previous.checked_at
            else:
                first_failed = now
        self._db.execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?)",
            (result.url, result.outcome.value, result.status, result.detail, result.new_url,
             now, first_failed),
        )  # fmt: skip
        return CachedResult(result, now, first_failed)

    def close(self) -> None:
        """Close the database."""
        self._db.close()
