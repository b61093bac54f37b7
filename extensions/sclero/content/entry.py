"""Docutils nodes for a citation in house style: title link, summary, source line, also-see."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from ..model.identifiers import (
    READING_ORDER,
    doi_url,
    first_url,
    pmc_url,
    pubmed_url,
    safe_url,
)
from ..model.kinds import KIND_INFO
from ..model.records import Citation
from .nodes import ENTRY_CLASS, make_coins
from .permalink import make_permalink
from .source_line import source_line


def topic_xref(target: str, text: str | None = None) -> addnodes.pending_xref:
    """A reference to a topic page that the ``sclero`` domain resolves."""
    xref = addnodes.pending_xref(
        "",
        refdomain="sclero",
        reftype="topic",
        reftarget=target,
        refexplicit=text is not None,
        # Unknown topics are reported by the domain's own check, with suggestions.
        refwarn=False,
        classes=["sclero-topic"],
    )
    xref += nodes.inline(text or target, text or target, classes=["xref", "sclero-topic-name"])
    return xref


def title_url(citation: Citation) -> str | None:
    """Where the title links: PubMed, else the DOI, else the URL, else PMC."""
    return first_url(citation, READING_ORDER)


def _title_paragraph(citation: Citation) -> nodes.paragraph:
    para = nodes.paragraph(classes=["sclero-citation-title"])
    url = title_url(citation)
    title = nodes.Text(citation.title)
    if url:
        para += nodes.reference("", "", title, refuri=url)
    else:
        para += nodes.strong("", "", title)
    # The renderer owns the title's full stop; a title ending in ? or ! keeps its own.
    # (One Text node, not two: every transform walks every node of every entry.)
    para += nodes.Text(" " if citation.title.endswith(("?", "!", ".")) else ". ")
    para += make_permalink(citation.anchor)
    return para


def _identifier_links(citation: Citation) -> list[nodes.Node]:
    """``PMID 123 · PMCID PMC4 · DOI 10.1/x``, each linked when well-formed."""
    out: list[nodes.Node] = []
    for label, key, make_url in (
        ("PMID", "pmid", pubmed_url),
        ("PMCID", "pmcid", pmc_url),
        ("DOI", "doi", doi_url),
    ):
        value = citation.get(key)
        if not value:
            continue
        if out:
            out.append(nodes.Text(" · "))
        out.append(nodes.inline("", f"{label} ", classes=["sclero-id-label"]))
        url = make_url(value)
        out.append(
            nodes.reference(value, value, refuri=url) if url else nodes.literal(value, value)
        )
    return out


def render_citation(citation: Citation, summary: nodes.Element) -> nodes.container:
    """The whole entry, its anchor on the outer container."""
    entry = nodes.container(
        classes=[ENTRY_CLASS, f"{ENTRY_CLASS}-{citation.kind}"], ids=[citation.anchor]
    )
    entry += _title_paragraph(citation)
    if summary.children:
        entry += summary
    source = nodes.paragraph(classes=["sclero-citation-source"])
    # Kind in words as well as colour, so the difference does not rest on colour alone.
    source += nodes.inline("", KIND_INFO[citation.kind].label, classes=["sclero-kind"])
    text = source_line(citation)
    identifiers = _identifier_links(citation)
    # The words between the label and the identifiers as one Text node.
    source += nodes.Text(f" {text} " if text and identifiers else f" {text}")
    if identifiers:
        source += identifiers
    url = safe_url(citation.get("url"))
    if url and url != title_url(citation):
        source += nodes.Text(" ")
        source += nodes.reference("", "Source page", refuri=url)
    entry += source
    if citation.also_see:
        also = nodes.paragraph(classes=["sclero-citation-also-see"])
        also += nodes.Text("Also see ")
        for i, target in enumerate(citation.also_see):
            if i:
                also += nodes.Text(", " if i < len(citation.also_see) - 1 else " and ")
            also += topic_xref(target)
        entry += also
    if citation.legacy:
        entry += legacy_note(
            [(LABELS.get(f, f), printed, why) for f, printed, why in citation.legacy]
        )
    entry += make_coins()
    return entry


LABELS = {"also-see": "also see"}


def legacy_note(changes: list[tuple[str, str, str]]) -> nodes.paragraph:
    """``Legacy page, date: 07/25/2019 (why it changed)``: every change from the source, shown."""
    note = nodes.paragraph(classes=["sclero-legacy"])
    for i, (label, printed, why) in enumerate(changes):
        if i:
            note += nodes.Text(" · ")
        note += nodes.emphasis("", f"Legacy page, {label}:")
        note += nodes.Text(f" {printed} ({why})")
    return note
