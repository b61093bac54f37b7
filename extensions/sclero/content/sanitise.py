"""Keep contributor text from running script or publishing files: raw HTML, unsafe links.

Also images from outside the site's folder, which Sphinx would copy into the site.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from ..checks.content import outside_file, raw_html, unsafe_url, url_credentials
from .domain import sclero_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# Schemes a reader's browser may follow from a page; anything else (javascript:, data:,
# vbscript:) could run script. Relative links have no scheme and are fine.
LINKABLE_SCHEMES = frozenset({"http", "https", "mailto"})


class SanitiseContent(SphinxTransform):
    """Remove raw HTML and unsafe links while reading, recording a finding for each."""

    # After MyST and docutils have made their nodes, before Sphinx resolves references.
    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        """Walk the doctree once; findings go to the domain so every build reports them."""
        domain = sclero_domain(self.env)
        docname = self.env.docname
        for raw in list(self.document.findall(nodes.raw)):
            domain.add_finding(raw_html(docname, raw.line or _line_of(raw)))
            raw.parent.remove(raw)
        srcdir = Path(self.env.srcdir).resolve()
        # Images and downloads ([x](../file), {download}) are copied into the site.
        shown: list[tuple[nodes.Element, str, str]] = [
            (image, image.get("uri", ""), image.get("alt", ""))
            for image in self.document.findall(nodes.image)
        ]
        shown += [
            (ref, ref.get("reftarget", ""), ref.astext())
            for ref in self.document.findall(addnodes.download_reference)
        ]
        for node, uri, text in shown:
            if _scheme(uri) is not None or "://" in uri:
                continue  # remote: a link, judged below and by the link check
            _, path = self.env.relfn2path(uri, docname)
            if not Path(path).resolve().is_relative_to(srcdir):
                domain.add_finding(outside_file(docname, node.line or _line_of(node), uri))
                node.replace_self(nodes.inline(text, text))
        for ref in list(self.document.findall(nodes.reference)):
            uri = ref.get("refuri", "")
            scheme = _scheme(uri)
            if scheme is not None and scheme not in LINKABLE_SCHEMES:
                domain.add_finding(unsafe_url(docname, ref.line or _line_of(ref), uri, scheme))
                ref.replace_self(nodes.inline(ref.astext(), ref.astext()))
            elif scheme in ("http", "https") and (bare := _without_credentials(uri)) != uri:
                domain.add_finding(url_credentials(docname, ref.line or _line_of(ref), uri))
                ref["refuri"] = bare
                if ref.astext() == uri:  # an autolink shows its address: without them too
                    ref.children = [nodes.Text(bare)]


def no_file_insertion(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Pages may not pull in files (include, literalinclude, csv-table and raw :file:).

    docutils' own switch: a pull request could otherwise publish any file of the machine
    that builds it (``../../../../proc/self/environ``). Each such directive is then a
    located error of docutils ("Directive include disabled").
    """
    env.settings["file_insertion_enabled"] = False


_IGNORED = re.compile(r"[\x00-\x1f\s]+")  # white space and control characters


def _scheme(uri: str) -> str | None:
    """The lower-cased scheme of ``uri``, ignoring the white space browsers ignore."""
    cleaned = _IGNORED.sub("", uri)
    try:
        scheme = urlsplit(cleaned).scheme
    except ValueError:
        return "invalid"
    return scheme.lower() or None


def _without_credentials(uri: str) -> str:
    """``uri`` without its user name and password (unchanged when it has none)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri  # the link check reports it as unusable
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _line_of(node: nodes.Node) -> int:
    """The nearest line number an ancestor knows, so every finding is located."""
    current: nodes.Node | None = node
    while current is not None:
        line = getattr(current, "line", None)
        if isinstance(line, int) and line > 0:
            return line
        current = current.parent
    return 0
