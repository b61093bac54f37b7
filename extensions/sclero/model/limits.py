"""How much a contributor may write in each place: one table, listed in the contributor guide.

Every check is linear in what it reads, and what it reads is bounded here: a pull request
cannot make the build (or CI) spend minutes on one field. Each limit is far above any real
value (the longest PubMed titles run to about 400 characters) and far below what would stall.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """The most a place may hold, in its unit, and what a real value looks like."""

    most: int
    unit: str  # "characters", "names", "levels"
    example: str


# A citation's fields, its title and summary (characters of the value as written).
FIELD_LIMITS: dict[str, Limit] = {
    "title": Limit(600, "characters", "a PubMed title"),
    "authors": Limit(1_000, "characters", "Duerksen D, Pinto-Sanchez MI, Anca A"),
    "summary": Limit(2_000, "characters", "one or two sentences"),
    "outlet": Limit(150, "characters", "PubMed, Reuters Health"),
    "journal": Limit(250, "characters", "Osteoporos Int"),
    "date": Limit(40, "characters", "2018-06"),
    "volume": Limit(20, "characters", "64"),
    "issue": Limit(20, "characters", "6"),
    "pages": Limit(40, "characters", "433-438"),
    "pmid": Limit(20, "characters", "29898932"),
    "pmcid": Limit(20, "characters", "PMC5999247"),
    "doi": Limit(300, "characters", "10.1007/s00198-019-05002-y"),
    "issn": Limit(20, "characters", "0008-350X"),
    "isbn": Limit(30, "characters", "978-3-16-148410-0"),
    "url": Limit(2_000, "characters", "https://www.ncbi.nlm.nih.gov/…"),
    "legacy": Limit(1_000, "characters", "a legacy-date note"),
}
# How many topics one :also-see: may name, and how long one name may be.
ALSO_SEE = Limit(20, "names", "Celiac Disease, Osteoporosis")
TOPIC_NAME = Limit(120, "characters", "Celiac Disease")
# How many waivers one entry may carry (each names a rule and why).
WAIVERS = Limit(10, "waivers", "required: the original address was not found")
WAIVER_REASON = Limit(500, "characters", "the original address was not found")
# How deeply a page may nest directives (a note in a tab in a card ...); MyST parses each
# level with a recursive call, and a few hundred levels exhaust Python's stack.
NESTING = Limit(16, "levels", "a card inside a tab inside a tab set")
# How deeply a legacy HTML page's tags may nest before the importer flattens them (the HTML
# converter recurses per level; hand-made pages have been seen thousands deep).
HTML_NESTING = Limit(100, "levels", "a table in a div in the page body")


def limit_of(field: str) -> Limit | None:
    """The limit of a citation field (``legacy-date`` has the legacy notes' limit)."""
    return FIELD_LIMITS.get("legacy" if field.startswith("legacy-") else field)
