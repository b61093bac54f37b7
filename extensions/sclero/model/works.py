"""When two citations are the same work: one definition for duplicates, listings and anchors."""

from __future__ import annotations

from .records import Citation
from .titles import title_key

# The identifiers that name one paper, strongest first.
WORK_IDENTIFIERS = ("pmid", "doi", "pmcid")


def work_keys(citation: Citation) -> list[tuple[str, str]]:
    """Every key under which two citations are the same work: identifiers, URL, then title."""
    keys = [(name, value.strip().lower()) for name in (*WORK_IDENTIFIERS, "url")
            if (value := citation.get(name))]  # fmt: skip
    keys.append(("title", title_key(citation.title)))
    return keys


def work_key(citation: Citation) -> str:
    """One key per cited work: its strongest identifier, else its normalised title."""
    name, value = next(key for key in work_keys(citation) if key[0] != "url")
    return f"{name}:{value}"
