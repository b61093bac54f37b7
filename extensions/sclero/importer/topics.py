"""The site's topics read from the topic pages' files, for a legacy page being imported."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..model.records import Topic
from ..model.topics import TOPIC_PREFIX, TopicIndex, split_aliases


def read_topic_index(topics_dir: Path) -> TopicIndex:
    """Every ``*.md`` under ``topics_dir`` by slug, alias and first heading (unreadable: skipped).

    Legacy pages name topics by their titles ("Also see Celiac Disease"), so titles resolve too.
    """
    topics: list[Topic] = []
    for path in sorted(topics_dir.rglob("*.md")):
        slug = path.relative_to(topics_dir).with_suffix("").as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        aliases: tuple[str, ...] = ()
        if text.startswith("---\n") and "\n---\n" in text[4:]:
            front = text[4 : text.index("\n---\n", 4)]
            try:
                meta = yaml.safe_load(front) or {}
            except yaml.YAMLError:
                meta = {}
            aliases = split_aliases(meta.get("aliases", [])) if isinstance(meta, dict) else ()
        heading = next((ln[2:] for ln in text.splitlines() if ln.startswith("# ")), "")
        topics.append(Topic(TOPIC_PREFIX + slug, slug, heading, aliases))
    return TopicIndex(topics, by_title=True)
