"""The site's topics by every name a legacy page may use: slug, title, aliases."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..content.domain import normalise_topic_name


class TopicIndex:
    """Names -> slug, read from the topic pages' front matter and first heading."""

    def __init__(self, topics_dir: Path) -> None:
        """Read every ``*.md`` under ``topics_dir`` (an unreadable page is skipped)."""
        self.names: dict[str, str] = {}
        for path in sorted(topics_dir.rglob("*.md")):
            slug = path.relative_to(topics_dir).with_suffix("").as_posix()
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            names = [slug]
            if text.startswith("---\n") and "\n---\n" in text[4:]:
                front = text[4 : text.index("\n---\n", 4)]
                try:
                    meta = yaml.safe_load(front) or {}
                except yaml.YAMLError:
                    meta = {}
                aliases = meta.get("aliases", []) if isinstance(meta, dict) else []
                if isinstance(aliases, str):
                    aliases = aliases.split(",")
                names += [str(a) for a in aliases]
            heading = next((ln[2:] for ln in text.splitlines() if ln.startswith("# ")), "")
            if heading:
                names.append(heading)
            for name in names:
                self.names.setdefault(normalise_topic_name(name), slug)

    def resolve(self, name: str) -> str | None:
        """The slug of the topic called ``name`` (case and spacing ignored), or None."""
        return self.names.get(normalise_topic_name(name))
