"""The site's topics by every name they answer to: one index for the build and the importer."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from .records import Topic

# The folder topic pages live in (``sclero_topic_prefix``'s default, and the tools' folder).
TOPIC_PREFIX = "topics/"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name a new topic page, or None: the one slug rule of the tools."""
    if _SLUG.fullmatch(slug):
        return None
    return f"slug {slug!r}: use lower-case words joined by hyphens"


def normalise_topic_name(name: str) -> str:
    """The form topic names are compared in: lower case, single spaces, no outer space."""
    return " ".join(name.split()).lower()


def split_aliases(value: object) -> tuple[str, ...]:
    """The ``aliases`` of a page's front matter (a list, or one comma-separated string)."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return ()
    return tuple(str(a).strip() for a in value if str(a).strip())


class TopicIndex:
    """Topics by slug and alias (and by title when ``by_title``), first page wins."""

    def __init__(self, topics: Iterable[Topic], *, by_title: bool = False) -> None:
        """Index ``topics`` in docname order; the importer also resolves legacy titles."""
        self.topics = sorted(topics, key=lambda t: t.docname)
        self.names: dict[str, Topic] = {}
        for topic in self.topics:
            titles = (topic.title,) if by_title else ()
            for name in (topic.slug, *topic.aliases, *titles):
                self.names.setdefault(normalise_topic_name(name), topic)

    def find(self, name: str) -> Topic | None:
        """The topic called ``name`` (case and spacing ignored), or None."""
        return self.names.get(normalise_topic_name(name))

    def resolve(self, name: str) -> str | None:
        """The slug of the topic called ``name``, or None."""
        topic = self.find(name)
        return None if topic is None else topic.slug

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Slugs of up to ``limit`` topics whose slug, alias or title is closest to ``name``."""
        pool = dict(self.names)
        # Titles are not link targets (they change), but they are what people remember.
        for topic in self.topics:
            pool.setdefault(normalise_topic_name(topic.title), topic)
        slugs: list[str] = []
        for match in difflib.get_close_matches(
            normalise_topic_name(name), list(pool), n=10, cutoff=0.5
        ):
            if pool[match].slug not in slugs:
                slugs.append(pool[match].slug)
        return slugs[:limit]
