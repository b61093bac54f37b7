"""Verdicts of pages not read again, kept while nothing they were made from has changed.

A page's verdicts (its entries' verification, its links' outcomes, the findings of both)
follow from the page, the cache rows they read, the mode and the ``sclero_*`` settings.
Sphinx records when it last read the page; the cache counts generations of its rows. While
both stand, and no record read has gone stale, the kept verdicts are what this build would
make again, so an incremental build reuses them instead of judging the whole site.
They are kept in the link cache as JSON, never pickled: CI restores that cache between runs.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .store import Store

if TYPE_CHECKING:
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

T = TypeVar("T")

VERIFY = "verify"  # entries against their records (env-updated)
JUDGE = "judge"  # every link occurrence (build-finished)


def settings_token(config: Config, mode: str, version: int) -> str:
    """What else verdicts depend on: the mode, every sclero_* setting, the data version."""
    settings = sorted((item.name, repr(item.value)) for item in config if "sclero_" in item.name)
    text = json.dumps([mode, version, settings])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class PageMemo:
    """Kept verdicts of one stage, and the pages' new ones to keep."""

    def __init__(self, cache: Store, stage: str, settings: str, env: BuildEnvironment) -> None:
        """Read the stage's kept verdicts (none from a private copy of the cache)."""
        self.cache = cache
        self.stage = stage
        self.env = env
        # Each environment keeps its own rows: the token holds when Sphinx read the page in
        # that environment, so two build folders sharing the cache (make live beside make
        # html) would otherwise overwrite each other's verdicts and both judge every page.
        place = hashlib.sha256(str(env.doctreedir).encode()).hexdigest()[:12]
        self.row_stage = f"{stage}@{place}"
        # A private copy (a locked or read-only file) has generations of its own.
        self.base = f"{cache.generation}|{settings}" if cache.writable else None
        self.kept = cache.verdicts(self.row_stage, stage) if self.base else {}
        self.new: list[tuple[str, str, float, str]] = []

    def _token(self, docname: str) -> str:
        return f"{self.base}|{self.env.all_docs.get(docname, 0.0)!r}"

    def get(self, docname: str, now: float, read: Callable[[Any], T]) -> T | None:
        """The page's kept verdicts, as ``read`` makes them, if they still hold; else None.

        Kept data that does not parse, or that ``read`` cannot read (a key missing, a wrong
        type), is a dropped row: the page is judged again and its verdicts replaced.
        """
        kept = self.kept.get(docname)
        if self.base is None or kept is None:
            return None
        token, horizon, data = kept
        if token != self._token(docname) or now >= horizon:
            return None
        try:
            return read(json.loads(data))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            self.cache.dropped.add((f"verdicts/{self.stage}", docname))
            return None

    def put(self, docname: str, data: object, horizon: float = math.inf) -> None:
        """Keep the page's new verdicts, true until ``horizon`` (a stale record)."""
        if self.base is not None:
            self.new.append((docname, self._token(docname), horizon, json.dumps(data)))

    def save(self) -> None:
        """Write the new verdicts in one transaction."""
        self.cache.put_verdicts(self.row_stage, self.new)
        self.new = []
