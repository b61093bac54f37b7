"""Legacy HTML pages through markdownify, whose converter is subclassed to emit directives."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from ..checks.limits import html_too_deep
from ..model.legacy_grammar import parse_entry
from ..model.limits import HTML_NESTING
from ..model.topics import TopicIndex
from .blocks import Classifier
from .writer import write_block

# Parts of the legacy site's template that are never content.
CHROME_TAGS = ("script", "style", "nav", "header", "footer", "form", "iframe", "noscript")
CHROME_IDS = ("footer", "header", "nav", "navigation", "sidebar", "donate", "menu")


class LegacyConverter(MarkdownConverter):
    """markdownify, with each paragraph classified as the text importer classifies it.

    Entries become citation directives with their links' identifiers; the chrome disappears;
    everything else stays.
    """

    def __init__(self, classifier: Classifier, topics: TopicIndex, **options: Any) -> None:
        """Keep the shared classifier (its blocks and defects are the importer's result)."""
        super().__init__(heading_style="ATX", **options)
        self.classifier = classifier
        self.topics = topics

    def _emit(self, el: Tag) -> str:
        links = [str(a.get("href")) for a in el.find_all("a") if a.get("href")]
        # Inline tags split no words: their text is joined as the page shows it.
        block = self.classifier.add(el.sourceline or 0, el.get_text(), links)
        return "" if block is None else "\n\n" + write_block(block, self.topics) + "\n"

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A paragraph: an entry, a definition, a story ... (see blocks.Classifier)."""
        return self._emit(el)

    def convert_div(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """The site's template divisions go; a division holding text directly is a paragraph."""
        classes: list[str] = list(el.get("class") or [])
        ident = " ".join([str(el.get("id", "")), *(str(c) for c in classes)]).lower()
        if any(word in ident for word in CHROME_IDS):
            return ""
        if el.find(["p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "table"]) is None:
            return self._emit(el)
        return text

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:  # noqa: N802
        """Headings: the first is the page's title; the others are sections."""
        return self._emit(el)

    def _inline(self, kind: str, el: Tag, text: str, parent_tags: set[str]) -> str:
        # Broken markup (an unclosed <b>) makes browsers re-open the tag in every following
        # paragraph: emphasis never wraps a block the converter already wrote.
        if "```" in text or ":::" in text:
            return text
        convert = getattr(super(), f"convert_{kind}")
        result: str = convert(el, text, parent_tags)
        return result

    def convert_b(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Bold, unless it wraps blocks."""
        return self._inline("b", el, text, parent_tags)

    def convert_strong(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Strong, unless it wraps blocks."""
        return self._inline("strong", el, text, parent_tags)

    def convert_i(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Italics, unless they wrap blocks."""
        return self._inline("i", el, text, parent_tags)

    def convert_em(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Emphasis, unless it wraps blocks."""
        return self._inline("em", el, text, parent_tags)

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A list item holding an entry is an entry; other items are navigation."""
        if not parse_entry(el.get_text()).unplaced:
            return self._emit(el)
        return ""


def import_html(html: str, topics: TopicIndex) -> tuple[Classifier, str]:
    """The classifier (blocks, defects) and the Markdown body of a legacy HTML page."""
    # html5lib builds the tree as browsers do (an unclosed <p> ends where the next one
    # starts) and keeps each tag's line, which every finding is located by.
    html, shallow = flatten_source(html, HTML_NESTING.most)
    soup = BeautifulSoup(html, "html5lib")
    for tag in soup.find_all(CHROME_TAGS):
        tag.decompose()
    flattened = shallow or flatten_deep(soup, HTML_NESTING.most)
    dates = [parse_entry(p.get_text()).date_text for p in soup.find_all(["p", "li", "div"])]
    classifier = Classifier(dates)
    if flattened is not None:
        classifier.page.defects.append(html_too_deep(*flattened))
    body = LegacyConverter(classifier, topics).convert_soup(soup.body or soup)
    return classifier, body


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
# Elements without content, and those whose end tag may be left out (the parser closes them
# at the next one): neither makes the page deeper.
_FLAT = frozenset((
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot", "colgroup",
))  # fmt: skip


def flatten_source(html: str, most: int) -> tuple[str, tuple[int, int] | None]:
    """``html`` without the tags nested deeper than ``most``, read in one pass of the text.

    html5lib's tree building grows with the square of the depth of some nestings (20,000
    unclosed ``<b>`` took minutes), so the depth is bounded before it parses. Returns the
    text and (line of the first tag dropped, deepest depth), or None when none was.
    """
    depth = deepest = 0
    first: int | None = None

    def keep(match: re.Match[str]) -> str:
        nonlocal depth, deepest, first
        closing, name, empty = match.group(1), match.group(2).lower(), match.group(3)
        if name in _FLAT or empty:
            return match.group(0)
        if closing:
            depth = max(0, depth - 1)
            return match.group(0) if depth < most else ""
        depth += 1
        deepest = max(deepest, depth)
        if depth <= most:
            return match.group(0)
        if first is None:
            first = match.start()
        return ""

    text = _TAG.sub(keep, html)
    if first is None:
        return html, None
    return text, (html.count("\n", 0, first) + 1, deepest)


def flatten_deep(soup: Tag, most: int) -> tuple[int, int] | None:
    """Unwrap every tag nested deeper than ``most`` (its text stays where it was).

    markdownify converts a tag by converting its children first, one Python call per level;
    a page nested thousands deep would exhaust the stack. Returns the line of the first tag
    flattened and the page's depth, or None when nothing was that deep.
    """
    too_deep: list[Tag] = []
    deepest = 0
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:  # iterative: this walk must not recurse either
        tag, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > most:
            too_deep.append(tag)
        stack += [(child, depth + 1) for child in tag.children if isinstance(child, Tag)]
    if not too_deep:
        return None
    line = min(tag.sourceline or 0 for tag in too_deep)
    for tag in too_deep:
        tag.unwrap()
    return line, deepest
