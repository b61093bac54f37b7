"""Blocks of a legacy page written as a MyST topic page: values as found, nothing invented."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote, urlsplit

from ..model.fields import NUMERIC_DATE
from ..model.kinds import Kind
from ..model.legacy_grammar import Parsed, iso_date
from ..model.link_parsing import UnusableURLError, parse
from ..model.myst_source import citation_source, wrap_text
from ..model.targets import TargetKind
from ..model.topics import TopicIndex
from .blocks import Block, LegacyPage

_SEE = re.compile(r"See (?P<name>[^.]+?)\.(?=\s|$)")


def _topic_or_name(name: str, topics: TopicIndex) -> str:
    return topics.resolve(name) or name


def _identifiers(links: list[str]) -> dict[str, str]:
    """PMID, PMCID and DOI from the entry's links (the strongest evidence a page has)."""
    found: dict[str, str] = {}
    for href in links:
        try:
            target = parse(href).target
        except UnusableURLError:
            continue
        if target.kind is TargetKind.url:
            # The legacy PubMed and PMC addresses name identifiers too.
            if m := re.search(r"ncbi\.nlm\.nih\.gov/pubmed/([0-9]+)", href):
                found.setdefault("pmid", m.group(1))
            elif m := re.search(r"ncbi\.nlm\.nih\.gov/pmc/articles/(PMC[0-9]+)", href, re.I):
                found.setdefault("pmcid", m.group(1).upper())
            else:
                found.setdefault("url", href)
        elif target.kind is TargetKind.doi:
            found.setdefault("doi", unquote(urlsplit(href).path.lstrip("/")))  # case as written
        else:
            found.setdefault(target.kind.value, target.value)  # fmt: skip
    return found


def entry_fields(entry: Parsed, links: list[str], topics: TopicIndex) -> list[tuple[str, str]]:
    """The directive's options, in the order the contributor guide lists them."""
    fields: list[tuple[str, str]] = []
    ids = _identifiers(links)
    # The directive guesses "news" for an entry with neither journal nor identifier: say it.
    if entry.kind is not Kind.article or not (entry.journal or ids.keys() - {"url"}):
        fields.append(("kind", entry.kind or ""))
    fields.append(("outlet", entry.source))
    for name, value in (
        ("journal", entry.journal),
        # A date with one reading in ISO; one that reads both ways exactly as printed.
        ("date", iso_date(entry.date_text) or entry.date_text),
        ("volume", entry.volume),
        ("issue", entry.issue),
        ("pages", entry.pages),
    ):
        if value:
            fields.append((name, value))
    fields += [(k, ids[k]) for k in ("pmid", "pmcid", "doi", "url") if k in ids]
    if entry.also_see:
        fields.append(("also-see", ", ".join(_topic_or_name(n, topics) for n in entry.also_see)))
    # A numeric date rewritten in ISO is a reading of it: disclosed, as every change is.
    iso = iso_date(entry.date_text)
    if iso and NUMERIC_DATE.fullmatch(entry.date_text):
        fields.append(("legacy-date", f"{entry.date_text} (the only reading of it, as {iso})"))
    return fields


def write_entry(block: Block, topics: TopicIndex) -> str:
    """One citation directive."""
    assert block.entry is not None
    entry = block.entry
    return citation_source(entry.title, entry_fields(entry, block.links, topics), entry.summary)


def write_block(block: Block, topics: TopicIndex) -> str:
    """The MyST of one block."""
    if block.kind == "entry":
        return write_entry(block, topics)
    if block.kind == "heading":
        return f"## {block.text}\n"
    if block.kind == "definition":
        return f"```{{definition}}\n:source: {block.source}\n\n{wrap_text(block.text)}\n```\n"
    if block.kind == "story":
        return f"```{{container}} sclero-story\n{wrap_text(block.text)}\n```\n"
    if block.kind == "next":
        slug = topics.resolve(block.text)
        target = f"{{topic}}`{slug}`" if slug else block.text
        return f"```{{container}} sclero-next\nGo to {target}\n```\n"
    if block.kind == "author":
        text = _SEE.sub(lambda m: _see(m, topics), block.text)
        text = re.sub(r"\bRead Disclaimer\.?$", "Read the {doc}`/disclaimer`.", text)
        return f"{wrap_text(text)}\n"
    # Not placed: kept, visible, with the reason, for a person to decide.
    return (
        f":::{{admonition}} To review (legacy page, line {block.line})\n:class: sclero-review\n\n"
        f"{block.reason}\n\n{wrap_text(block.text)}\n:::\n"
    )


def _see(match: re.Match[str], topics: TopicIndex) -> str:
    slug = topics.resolve(match["name"])
    return f"See {{topic}}`{slug}`." if slug else match.group(0)


@dataclass(frozen=True)
class ImportOptions:
    """What an import knows besides the page: the topics, and where and when it came from."""

    topics: TopicIndex
    legacy_url: str = ""
    as_of: str = ""  # the year the legacy copy is from
    today: date | None = None  # the migration date; None is today


def write_page(page: LegacyPage, options: ImportOptions, body: str | None = None) -> str:
    """The whole topic page: front matter, title, then every block in legacy order.

    ``body``, when given, is the Markdown the HTML converter wrote for the blocks.
    """
    front = ["---", f"aliases: {page.title}"]
    if options.legacy_url:
        front.append(f"legacy-url: {options.legacy_url}")
    if options.as_of:
        front.append(f"legacy-as-of: {options.as_of}")
    front += [f"migrated: {(options.today or date.today()).isoformat()}", "---", ""]
    lines = [f"# {page.title}", ""]
    if body is not None:
        lines.append(re.sub(r"\n{3,}", "\n\n", body.strip()))
    else:
        lines += [write_block(block, options.topics) for block in page.blocks]
    return "\n".join(front + lines).rstrip() + "\n"
