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

from .after_reading import release_doctrees, release_doctrees_of

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
    so it is left to the collector. An earlier build's frozen objects are thawed and
    collected first, so that what it left behind is not frozen again.
    """
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    _Reading.pages = 0
    if len(docnames) * 2 < len(env.all_docs):
        gc.freeze()


def collect_between_pages(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Every ``PAGES_PER_COLLECTION`` pages, collect and freeze what survives (env-purge-doc).

    Sphinx purges a page just before it reads it, when no doctree of its own exists yet;
    the doctrees of the pages read before are released first, so that what survives the
    collection is what the build keeps (a frozen doctree would never be freed).
    """
    _Reading.pages += 1
    if _Reading.pages >= PAGES_PER_COLLECTION:
        _Reading.pages = 0
        release_doctrees_of(env)
        gc.collect()
        gc.freeze()


def freeze_after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Collect once and freeze what survives, before the pages are written (env-updated)."""
    release_doctrees_of(env)  # the last page read is written from its file, as the others
    gc.collect()
    gc.freeze()
    return []


def setup_build_memory(app: Sphinx) -> None:
    """Connect the collector's handlers and the doctree release.

    They would help any Sphinx site: the benchmark's ``tuned`` floor (bench/corpus.py)
    connects the same, so that what they save is not counted as what our citations cost.
    """
    app.connect("env-before-read-docs", freeze_loaded_environment)
    app.connect("doctree-read", release_doctrees)
    # Last of env-updated: after the link check, the counts and the Cite texts are made.
    app.connect("env-updated", freeze_after_reading, priority=900)
    app.connect("env-purge-doc", collect_between_pages)
