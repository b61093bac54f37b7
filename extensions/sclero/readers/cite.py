"""The "Cite" control on each entry: the citation in one CSL style to copy, RIS and BibTeX.

A ``<details>`` element, so it opens from the keyboard and screen readers announce it without
any script; the copy button is the only script, and the text stays selectable without it.
Formatting through citeproc-py costs milliseconds per entry, so each result is kept in the
link cache by the entry's content and reused by every later build.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..content.domain import is_topic, sclero_domain, topic_slug
from ..content.nodes import citation_entries
from .downloads import entry_file, relative
from .formats import Exported, to_csl

if TYPE_CHECKING:
    from citeproc import CitationStylesStyle
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from ..content.state import BuildState
    from ..model.records import Citation as CitationEntry
    from ..net.store import Store

# The one style: bundled with citeproc-py, so nothing is fetched or vendored.
STYLE = "harvard-cite-them-right"
STATIC = Path(__file__).parent / "static"
_STYLE: CitationStylesStyle | None = None


class cite_control(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """The control of one entry; rendered by ``visit_cite_html``."""


def _style() -> CitationStylesStyle:
    global _STYLE  # parsed once per process: the style file is large
    from citeproc import CitationStylesStyle  # imported when first needed: lxml is slow to load

    if _STYLE is None:
        _STYLE = CitationStylesStyle(STYLE, validate=False)
    return _STYLE


def format_item(item: dict[str, Any]) -> str:
    """One CSL-JSON item as plain text in the site's style."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON([item])
    bibliography = CitationStylesBibliography(_style(), source, formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return " ".join(str(bibliography.bibliography()[0]).split())


def cite_text(entry: Exported, cache: Store | None) -> str:
    """The formatted citation, from the cache when this exact entry was formatted before."""
    [item] = to_csl([entry])
    key = (
        "cite:"
        + hashlib.sha256(json.dumps([STYLE, item], sort_keys=True).encode()).hexdigest()[:32]
    )
    stored = cache.lookup(key) if cache is not None else None
    if stored is not None and isinstance(stored.data.get("text"), str):
        return str(stored.data["text"])
    text = format_item(item)
    if cache is not None:
        cache.put_lookups([(key, {"text": text})], verdicts=False)
    return text


def format_all(app: Sphinx, env: object) -> list[str]:
    """Format the entries of the pages this build writes, from the cache where possible.

    Runs at env-updated after the link check started (it needs the verification, for the
    record's author, and the cache, open until the build ends) and after the backlinks
    chose their pages. Pages Sphinx writes for other reasons are formatted as they are
    written (``render_cite_controls``).
    """
    domain = sclero_domain(app.env)
    state = domain.build
    cache = state.verify.store
    written = state.read.pages_read | state.verify.pages_reverified | state.readers.pages_relinked
    for docname in sorted(written & set(domain.citations)):
        if is_topic(docname, app.config):
            for citation in domain.citations[docname]:
                state.readers.cite_texts[(docname, citation.anchor)] = _format(
                    state, citation, cache
                )
    return []


def _format(state: BuildState, citation: CitationEntry, cache: Store | None) -> str:
    """The text of one entry as readers are told about it."""
    entry = Exported(citation, state.verify.verification.get((citation.docname, citation.anchor)))
    return cite_text(entry, cache)


def add_static_path(app: Sphinx, config: object) -> None:
    """Serve the control's script with the site (config-inited)."""
    app.config.html_static_path.append(str(STATIC))


def render_cite_controls(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Add the control to each entry of a topic page (doctree-resolved)."""
    if app.builder.format != "html" or not is_topic(docname, app.config):
        return
    domain = sclero_domain(app.env)
    state = domain.build
    citations = {c.anchor: c for c in domain.citations.get(docname, [])}
    slug = topic_slug(docname, app.config)
    for anchor, entry in citation_entries(doctree):
        if docname in state.readers.export_blocked or anchor not in citations:
            continue
        text = state.readers.cite_texts.get((docname, anchor))
        if text is None:
            # Written without being formatted ahead (a deleted output file, a toctree
            # parent): formatted here, without the cache, which a parallel writer
            # process must not share.
            text = _format(state, citations[anchor], None)
        control = cite_control(
            "",
            anchor=anchor,
            text=text,
            ris=relative(docname, entry_file(slug, anchor, "ris")),
            bib=relative(docname, entry_file(slug, anchor, "bib")),
        )
        # Before the COinS span, which stays last.
        entry.insert(len(entry.children) - 1, control)


def visit_cite_html(self: HTML5Translator, node: cite_control) -> None:
    """``<details>``: Cite · the text · Copy · RIS · BibTeX; every value escaped."""
    anchor = node["anchor"]
    text_id = f"cite-{anchor}"
    self.body.append(self.starttag(node, "details", "", CLASS="sclero-cite"))
    self.body.append('<summary>Cite<span class="sclero-sr-only"> this entry</span></summary>')
    # Inner tags from fresh elements: starttag adds the ids it is given to the element's own.
    self.body.append(
        self.starttag(nodes.Element(), "p", "", ids=[text_id], CLASS="sclero-cite-text")
    )
    self.body.append(self.encode(node["text"]) + "</p>")
    data = {"data-copy": text_id}
    # The stub types **attributes as the 'empty' flag's bool; data-copy is no Python name.
    button = self.starttag(nodes.Element(), "button", "", type="button", CLASS="sclero-copy",
                           **data)  # type: ignore[arg-type]  # fmt: skip
    self.body.append(button + "Copy</button> ")
    for key, label in (("ris", "RIS"), ("bib", "BibTeX")):
        name = posixpath.basename(node[key])
        link = self.starttag(
            nodes.Element(), "a", "", href=node[key], download=name, CLASS="sclero-download"
        )
        self.body.append(f"{link}{label}</a> ")
    self.body.append('<span class="sclero-copied" role="status" aria-live="polite"></span>')
    self.body.append("</details>")
    raise nodes.SkipNode
