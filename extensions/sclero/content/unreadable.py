"""Pages Sphinx cannot read safely, named and left out before it reads them.

A page that is not UTF-8 stops Sphinx with a traceback; one whose directives nest hundreds
deep exhausts the parser's stack. Either is reported at its line, and the rest of the site builds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..checks.content import not_utf8
from ..checks.limits import check_nesting
from ..model.fences import first_too_deep
from ..model.limits import NESTING
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


def skip_unreadable(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Report each page that is not UTF-8, or nests too deep, at its line; leave it unread.

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
                too_deep = first_too_deep(data.decode("utf-8").splitlines(), NESTING.most)
                if too_deep is None:
                    continue
                _leave_out(env, docnames, docname)
                domain.build.read.findings.append(check_nesting(docname, *too_deep))
                continue
            line, column, byte = bad
            problem = (
                f"page is not UTF-8 text: byte 0x{byte:02x} at column {column}; save the file "
                "as UTF-8 (it is left out of the site until then)"
            )
        _leave_out(env, docnames, docname)
        domain.build.read.findings.append(not_utf8(docname, line, problem))


def _leave_out(env: BuildEnvironment, docnames: list[str], docname: str) -> None:
    """Not read in this build, and out of the project, or Sphinx would try to write it.

    What the page declared when it was last read is forgotten, as for a removed page: an
    incremental build must not keep its citations when a full build would not have them.
    """
    docnames.remove(docname)
    env.project.docnames.discard(docname)
    env.events.emit("env-purge-doc", env, docname)
    env.clear_doc(docname)
