"""The new-topic template's placeholder text: written by make new-topic, found by the checks.

One home for these sentences, so that a placeholder left in a page is always a finding.
"""

from __future__ import annotations

TOPIC_INTRO = "One or two paragraphs introducing the topic, in the site's own words."
CITATION_TITLE = "Title of the article, as on its PubMed page, without the final full stop"
CITATION_JOURNAL = "NLM abbreviation, e.g. Osteoporos Int"
CITATION_PMID = "digits from the PubMed page"
CITATION_SUMMARY = "One sentence on what the study found."

# Placeholder -> what to write instead.
PLACEHOLDERS = {
    TOPIC_INTRO: "an introduction to the topic",
    CITATION_TITLE: "the article's title from its PubMed page",
    CITATION_JOURNAL: "the journal's NLM abbreviation",
    CITATION_PMID: "the PMID from its PubMed page",
    CITATION_SUMMARY: "one sentence on what this study found",
}
