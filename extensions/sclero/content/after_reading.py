"""Build bookkeeping around reading: which pages this build reads, and duplicates on each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..checks.across import check_duplicates_on_page
from .domain import sclero_domain

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def note_duplicates(app: Sphinx, doctree: nodes.document) -> None:
    """Duplicates on the page just read (doctree-read), kept with the page's findings."""
    domain = sclero_domain(app.env)
    for found in check_duplicates_on_page(domain.citations.get(app.env.docname, [])):
        domain.add_finding(found)


def note_pages_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Remember the pages this build reads: only their citation files can change."""
    sclero_domain(env).build.read.pages_read = set(docnames)
