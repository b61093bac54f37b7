"""The citation files readers download: each topic's RIS, BibTeX and CSL-JSON.

A page's files are ``citations/<slug>.<ext>``: distinct slugs cannot share a file. Only on a
file system that ignores case can two pages meet (``Zz.md`` and ``zz.md``); that is
reported, and neither overwrites the other. An entry's own RIS or BibTeX is cut from its
page's file in the reader's browser (sclero-cite.js): a file per entry made 2 files per
citation, 40,000 at the size of the legacy site.
"""

from __future__ import annotations

import os
import posixpath
from typing import TYPE_CHECKING

from docutils import nodes

from ..checks.across import check_export_collisions
from ..content.domain import is_topic, sclero_domain, topic_slug
from .formats import FORMATS, Exported

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

PAGE_DIR = "citations"
LABELS = {"ris": "RIS", "bib": "BibTeX", "json": "CSL-JSON"}


class downloads_placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils style)
    """Where the page's citation downloads are linked, once the page's path is known."""


class download_link(nodes.Inline, nodes.Element):  # noqa: N801 (docutils node naming)
    """A link with the ``download`` attribute: the browser saves the file, never shows it."""


def page_file(slug: str, extension: str) -> str:
    """The output path, relative to the HTML root, of a topic's citations in one format."""
    return f"{PAGE_DIR}/{slug}.{extension}"


def make_download(href: str, label: str, filename: str) -> download_link:
    """A download link node (rendered by ``visit_download_html``)."""
    return download_link("", href=href, label=label, filename=filename)


def visit_download_html(self: HTML5Translator, node: download_link) -> None:
    """``<a href=... download=...>``; ``starttag`` escapes every attribute."""
    self.body.append(
        self.starttag(
            node, "a", "", CLASS="sclero-download", href=node["href"], download=node["filename"]
        )
    )
    self.body.append(self.encode(node["label"]) + "</a>")
    raise nodes.SkipNode


def relative(docname: str, path: str) -> str:
    """``path`` (from the HTML root) as seen from the page ``docname``."""
    return posixpath.relpath(path, posixpath.dirname(docname) or ".")


def render_downloads(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Link the page's RIS, BibTeX and CSL-JSON files (doctree-resolved)."""
    slug = topic_slug(docname, app.config)
    blocked = sclero_domain(app.env).build.readers.export_blocked
    for placeholder in list(doctree.findall(downloads_placeholder)):
        if docname in blocked or app.builder.format != "html":
            placeholder.parent.remove(placeholder)
            continue
        para = nodes.paragraph(classes=["sclero-downloads"])
        para += nodes.Text("Download this page's citations: ")
        for i, (extension, label) in enumerate(LABELS.items()):
            if i:
                para += nodes.Text(" · ")
            path = page_file(slug, extension)
            para += make_download(relative(docname, path), label, posixpath.basename(path))
        placeholder.replace_self(para)


def check_collisions(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Report topics whose files would be the same file where case is ignored (env-updated)."""
    domain = sclero_domain(env)
    slugs = {
        docname: topic_slug(docname, app.config)
        for docname in sorted(domain.citations)
        if is_topic(docname, app.config) and domain.citations[docname]
    }
    found = check_export_collisions(slugs)
    domain.build.readers.export_blocked = {f.docname for f in found}
    domain.build.readers.findings += found
    return []


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    """Write the files of every topic read again, re-verified, or missing (build-finished)."""
    if exception is not None or app.builder.format != "html":
        return
    # Earlier versions wrote a file per entry (cite/<slug>/<anchor>.ris|bib): out of date
    # once their entry changes, and no page links them any more.
    for stale in (*app.outdir.glob("cite/*/*.ris"), *app.outdir.glob("cite/*/*.bib")):
        stale.unlink()
    domain = sclero_domain(app.env)
    state = domain.build
    fresh = state.read.pages_read | state.verify.pages_reverified
    # One listing of the folder, not a file-system query per page and format (a slug with
    # a folder in it is not listed, so its files are written again: correct, if slower).
    folder = app.outdir / PAGE_DIR
    present = {f"{PAGE_DIR}/{e.name}" for e in os.scandir(folder)} if folder.is_dir() else set()
    for docname, citations in sorted(domain.citations.items()):
        if (
            not is_topic(docname, app.config)
            or not citations
            or docname in state.readers.export_blocked
        ):
            continue
        slug = topic_slug(docname, app.config)
        names = {ext: page_file(slug, ext) for ext in FORMATS}
        # A page not read or re-verified has the citations its files were written from.
        if docname not in fresh and all(name in present for name in names.values()):
            continue
        paths = {ext: app.outdir / name for ext, name in names.items()}
        entries = [
            Exported(c, state.verify.verification.get((docname, c.anchor))) for c in citations
        ]
        for extension, render in FORMATS.items():
            paths[extension].parent.mkdir(parents=True, exist_ok=True)
            paths[extension].write_text(render(entries), encoding="utf-8")
