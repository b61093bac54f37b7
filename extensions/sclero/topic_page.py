"""What every topic page shows around its entries: review dates, order, downloads, disclaimer."""

from __future__ import annotations

import posixpath
from datetime import date, timedelta
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from .domain import sclero_domain
from .exports import FORMATS
from .records import Citation, Finding
from .source_line import format_date
from .subtypes import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


logger = logging.getLogger(__name__)
EXPORT_DIR = "citations"
EXPORT_LABELS = {"ris": "RIS", "bib": "BibTeX", "json": "CSL-JSON"}


class downloads_placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils style)
    """Where the page's citation downloads are linked, once the page's path is known."""


def export_path(slug: str, extension: str) -> str:
    """The output path, relative to the HTML root, of a topic's citations in one format."""
    return f"{EXPORT_DIR}/{slug.replace('/', '-')}.{extension}"


def _sort_newest_first(section: nodes.Element, by_anchor: dict[str, Citation]) -> None:
    """Reorder the citations among their own slots; other content keeps its place."""
    slots = [
        i
        for i, child in enumerate(section.children)
        if isinstance(child, nodes.container) and "sclero-citation" in child["classes"]
    ]
    entries = [section.children[i] for i in slots]

    def key(entry: nodes.Node) -> str:
        citation = by_anchor.get(entry["ids"][0]) if isinstance(entry, nodes.Element) else None
        return (citation.get("date") or "") if citation else ""

    # sorted() is stable: undated entries and equal dates keep the author's order.
    for slot, entry in zip(slots, sorted(entries, key=key, reverse=True), strict=True):
        section.children[slot] = entry


def _review_box(app: Sphinx, docname: str, citations: list[Citation]) -> list[nodes.Node]:
    """'Last reviewed ... · newest citation ...', and a notice when the review is old."""
    domain = sclero_domain(app.env)
    raw = str(app.env.metadata[docname].get("reviewed", "")).strip()
    today = date.fromisoformat(app.config.sclero_today) if app.config.sclero_today else date.today()
    reviewed: date | None = None
    if raw:
        try:
            reviewed = date.fromisoformat(raw)
        except ValueError:
            reviewed = None
        if reviewed is None or reviewed > today:
            problem = "is not a YYYY-MM-DD date" if reviewed is None else "is in the future"
            domain.add_finding(
                Finding(docname, 1, Subtype.reviewed, f"front matter reviewed: {raw!r} {problem}")
            )
            reviewed = None
    dates = sorted((c.get("date") or "" for c in citations), reverse=True)
    info = nodes.paragraph(classes=["sclero-page-info"])
    info += nodes.Text(f"Last reviewed: {reviewed.isoformat() if reviewed else 'not yet'}")
    if dates and dates[0]:
        info += nodes.Text(f" · Newest citation: {format_date(dates[0])}")
    out: list[nodes.Node] = [info]
    limit = timedelta(days=app.config.sclero_review_max_days)
    if reviewed is None or today - reviewed > limit:
        since = f"since {reviewed.isoformat()}" if reviewed else "since it was migrated"
        notice = nodes.admonition(classes=["sclero-stale", "warning"])
        notice += nodes.title("", "Not recently reviewed")
        notice += nodes.paragraph(
            "",
            f"This page has not been reviewed {since}; newer research may change what it says.",
        )
        out.append(notice)
    return out


def decorate_topic_page(app: Sphinx, doctree: nodes.document) -> None:
    """Order entries, add the review line and the downloads placeholder (doctree-read)."""
    docname = app.env.docname
    if docname.startswith(app.config.sclero_topic_prefix):
        domain = sclero_domain(app.env)
        citations = domain.citations.get(docname, [])
        by_anchor = {c.anchor: c for c in citations}
        for section in doctree.findall(nodes.section):
            _sort_newest_first(section, by_anchor)
        first = next(iter(doctree.findall(nodes.section)), None)
        if first is not None:
            title_index = first.first_child_matching_class(nodes.title)
            position = 0 if title_index is None else title_index + 1
            for offset, node in enumerate(_review_box(app, docname, citations)):
                first.insert(position + offset, node)
            if citations:
                first.append(downloads_placeholder())
    disclaimer = app.config.sclero_disclaimer_doc
    if disclaimer and docname != disclaimer and disclaimer in app.env.found_docs:
        _append_disclaimer(doctree, disclaimer)


def _append_disclaimer(doctree: nodes.document, disclaimer: str) -> None:
    """Every page ends with a link to the disclaimer, one click away."""
    para = nodes.paragraph(classes=["sclero-disclaimer-link"])
    para += nodes.Text("Not medical advice: read the ")
    xref = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget=f"/{disclaimer}", refexplicit=True
    )
    xref += nodes.inline("", "disclaimer")
    para += xref
    para += nodes.Text(".")
    target = next(iter(doctree.findall(nodes.section)), doctree)
    target.append(para)


def render_downloads(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Link the page's RIS, BibTeX and CSL-JSON files, relative to the page (doctree-resolved)."""
    slug = docname.removeprefix(app.config.sclero_topic_prefix)
    for placeholder in list(doctree.findall(downloads_placeholder)):
        para = nodes.paragraph(classes=["sclero-downloads"])
        para += nodes.Text("Download this page's citations: ")
        for i, (extension, label) in enumerate(EXPORT_LABELS.items()):
            if i:
                para += nodes.Text(" · ")
            href = posixpath.relpath(
                export_path(slug, extension), posixpath.dirname(docname) or "."
            )
            para += nodes.reference("", label, refuri=href, classes=["sclero-download"])
        placeholder.replace_self(para)


def note_pages_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Remember the pages this build reads: only their citation files can change."""
    sclero_domain(env).build.pages_read = set(docnames)


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    """Write the citation files of every topic read in this build, or missing (build-finished)."""
    if exception is not None or app.builder.format != "html":
        return
    domain = sclero_domain(app.env)
    prefix = app.config.sclero_topic_prefix
    read = domain.build.pages_read
    for docname, citations in sorted(domain.citations.items()):
        if not docname.startswith(prefix) or not citations:
            continue
        slug = docname.removeprefix(prefix)
        paths = {ext: app.outdir / export_path(slug, ext) for ext in FORMATS}
        # A page not read again has the citations its files were written from.
        if docname not in read and all(path.exists() for path in paths.values()):
            continue
        for extension, render in FORMATS.items():
            paths[extension].parent.mkdir(parents=True, exist_ok=True)
            paths[extension].write_text(render(citations), encoding="utf-8")
