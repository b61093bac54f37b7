"""Comparing titles: a loose key for duplicates, and whether a record's title is the entry's.

The second is Wikipedia Citation bot's rule: normalise, then at most 3 edits apart, or 98%
alike for titles longer than 254 characters.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

# Markers registries and publishers put on a title; not part of what was published. Citation
# bot strips "RETRACTED" anywhere; here only as a marker (bracketed, or leading with a colon),
# so a title about retractions keeps its words.
_MARKERS = re.compile(
    r"[\[(](?:retracted|withdrawn)[\])]"
    r"|^\s*(?:retracted(?:\s+article)?|withdrawn(?:\s+article)?|expression\s+of\s+concern)"
    r"\s*[:.-]\s*",
    re.IGNORECASE,
)
_PARENTHETICAL = re.compile(r"\s*\([^()]{1,20}\)")
# Citation bot compares titles of more than 254 characters by similarity, not edits.
LONG_TITLE = 254
MAX_EDITS = 3
LONG_SIMILARITY = 98.0


def title_key(title: str) -> str:
    """Case and punctuation ignored: the key under which two entries name the same title."""
    return re.sub(r"\W+", " ", title.lower()).strip()


def normalise_title(title: str) -> str:
    """Markers, diacritics, case, a leading "The", then every space and punctuation removed.

    As Citation bot does: "Pre–Post" and "Pre-post" and "prepost" are one title; PubMed's
    brackets around a translated title go with the punctuation.
    """
    text = _MARKERS.sub(" ", title)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("&", " and ")
    text = " ".join(re.sub(r"[^\w\s]|_", " ", text).split())
    text = text.removeprefix("the ")
    return text.replace(" ", "")


def titles_match(written: str, recorded: str) -> bool:
    """Citation bot's rule: at most 3 edits apart, or 98% alike beyond 254 characters."""
    a, b = normalise_title(written), normalise_title(recorded)
    if max(len(a), len(b)) > LONG_TITLE:
        return ratio(a, b) >= LONG_SIMILARITY
    return Levenshtein.distance(a, b, score_cutoff=MAX_EDITS + 1) <= MAX_EDITS


def differs_by_parentheticals(written: str, recorded: str) -> bool:
    """The titles match once short parenthetical insertions such as "(CD)" are dropped.

    Editors of the legacy site often added an abbreviation in parentheses; that changes no
    meaning, so it is disclosed as a note, not reported as another paper.
    """
    stripped = _PARENTHETICAL.sub("", written)
    return stripped != written and titles_match(stripped, _PARENTHETICAL.sub("", recorded))


def clip(text: str, limit: int = 200) -> str:
    """``text`` on one line, cut before ``limit`` characters at a word's end, with an ellipsis.

    A message quotes a title to say which entry it means: a word cut in half reads as a typo.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    # A single very long word (a URL) is cut where it must be.
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"
