"""The kinds of citation, with everything each kind means in one table."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.StrEnum):
    """What a citation points at: a research article, a news story or a web page."""

    article = "article"
    news = "news"
    web = "web"


@dataclass(frozen=True)
class KindInfo:
    """How a kind is named for readers and reference managers, and what it must give."""

    label: str  # shown on the entry beside its source
    named: str  # "an article": the kind in a sentence
    required: tuple[str, ...]  # fields besides the title
    ris: str  # RIS ``TY``
    bibtex: str  # BibTeX entry type
    csl: str  # CSL-JSON ``type``
    journal_like: bool  # a journal or newspaper: OpenURL's journal format, BibTeX ``journal``


KIND_INFO: dict[Kind, KindInfo] = {
    Kind.article: KindInfo(
        "Research", "an article", ("journal", "date"), "JOUR", "article", "article-journal", True
    ),
    Kind.news: KindInfo(
        "News", "a news", ("outlet", "date", "url"), "NEWS", "article", "article-newspaper", True
    ),
    Kind.web: KindInfo("Web page", "a web", ("outlet", "url"), "ELEC", "misc", "webpage", False),
}
