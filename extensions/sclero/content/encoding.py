"""Pages that are not valid UTF-8, named before Sphinx reads them (it stops with a traceback)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..checks.content import not_utf8
from .domain import sclero_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def undecodable(data: bytes) -> tuple[int, int, int] | None:
    """(line, column, byte) of the first byte that is not UTF-8, or None when all is."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        return line, column, data[error.start]
    return None


def skip_undecodable(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Report each page that is not UTF-8 at its first bad byte; leave it unread.

    Runs at env-before-read-docs; the rest of the site builds.
    """
    domain = sclero_domain(env)
    for docname in list(docnames):
        try:
            data = env.doc2path(docname).read_bytes()
        except OSError as error:
            problem = f"page cannot be read ({error.strerror}); it is left out of the site"
            line = 0
        else:
            bad = undecodable(data)
            if bad is None:
                continue
            line, column, byte = bad
            problem = (
                f"page is not UTF-8 text: byte 0x{byte:02x} at column {column}; save the file "
                "as UTF-8 (it is left out of the site until then)"
            )
        docnames.remove(docname)
        # Out of the project for this build too, or Sphinx would try to write it.
        env.project.docnames.discard(docname)
        domain.build.read.findings.append(not_utf8(docname, line, problem))
