"""Build bookkeeping around reading: which pages this build reads, and what each declares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..checks.across import check_duplicates_on_page, shared_keys
from ..model.records import Citation, PageTally
from .domain import sclero_domain

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def note_page(app: Sphinx, doctree: nodes.document) -> None:
    """The page just read (doctree-read): its duplicates, its works and its counts.

    The site-wide checks use the works and counts without reading the entries again.
    """
    domain = sclero_domain(app.env)
    docname = app.env.docname
    citations: Sequence[Citation] = domain.citations.get(docname, [])
    for found in check_duplicates_on_page(citations):
        domain.add_finding(found)
    works = {key for citation in citations for key in shared_keys(citation)}
    domain.data["work_keys"][docname] = tuple(sorted(works))
    domain.data["tallies"][docname] = PageTally.of(citations)


def release_doctrees(app: Sphinx, doctree: nodes.document) -> None:
    """Let go of the doctrees of pages read before this one (doctree-read).

    Sphinx keeps every doctree it reads in memory until it writes the page, which on a
    site of a thousand pages is most of a full build's peak memory. Written to disk as
    well, each is read back from there when its page is written (Sphinx then keeps its
    bytes, a fraction of the objects).
    """
    release_doctrees_of(app.env)


def release_doctrees_of(env: BuildEnvironment) -> None:
    """Empty Sphinx's in-memory copies of the doctrees read so far."""
    # Sphinx's own (private) cache: tests/test_incremental.py fails if it is renamed.
    cache = getattr(env, "_write_doc_doctree_cache", None)
    if isinstance(cache, dict):
        cache.clear()


def note_pages_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Remember the pages this build reads: only their citation files can change."""
    sclero_domain(env).build.read.pages_read = set(docnames)


def compare_works(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Compare across pages the works of the pages read or removed (env-updated)."""
    sclero_domain(env).compare_works()
    return []
