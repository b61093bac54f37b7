"""Python's cycle collector kept off what lives until the build ends.

A full collection walks every object alive. Sphinx's environment holds every page of the
site for the whole build, and each page read or written makes thousands of short-lived
objects, so full collections come often and each walks the whole environment again: a
third of a full build of a thousand pages, and a fifth of an incremental one. Objects
that will live to the end are frozen (``gc.freeze``) so that collections skip them.
Nothing is handed back at the end, since the interpreter's last collection would walk
it all once more. A process that builds again (the tests) thaws the previous build's
objects when the next build starts reading.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# Pages read between collections: often enough that garbage waits little, rarely enough
# that the collections themselves cost little.
PAGES_PER_COLLECTION = 50


class _Reading:
    """Pages read since the last collection (a counter per process, parallel readers too)."""

    pages = 0


def freeze_loaded_environment(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Freeze the loaded environment when few of its pages are read again (env-before-read-docs).

    When most pages are read again, most of the old environment is about to be garbage,
    so it is left to the collector.
    """
    gc.unfreeze()
    _Reading.pages = 0
    if len(docnames) * 2 < len(env.all_docs):
        gc.freeze()


def collect_between_pages(app: Sphinx, docname: str, source: list[str]) -> None:
    """Every ``PAGES_PER_COLLECTION`` pages, collect and freeze what survives (source-read).

    Before a page is parsed, the previous pages' doctrees are garbage (written to disk,
    released from memory), so what survives a collection here is what the build keeps.
    """
    _Reading.pages += 1
    if _Reading.pages >= PAGES_PER_COLLECTION:
        _Reading.pages = 0
        gc.collect()
        gc.freeze()


def freeze_after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Collect once and freeze what survives, before the pages are written (env-updated)."""
    gc.collect()
    gc.freeze()
    return []
