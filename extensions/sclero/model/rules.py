"""Every warning subtype of the ``sclero`` warning type, with its default severity and help."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

WARNING_TYPE = "sclero"

# error: fails strict builds; warning: fails them too, shown as a warning (a judgement for
# the editor, e.g. an expression of concern); note: maintenance, never fails a build.
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class SubtypeInfo:
    """What a subtype means, how bad it is by default, and how a contributor fixes it."""

    severity: Severity
    meaning: str
    fix: str


class Subtype(enum.StrEnum):
    """One member per problem, so ``suppress_warnings = ["sclero.<subtype>"]`` silences one kind."""

    # Structure and cross-references.
    topic_unknown = "topic_unknown"
    raw_html = "raw_html"
    unsafe_url = "unsafe_url"
    outside_file = "outside_file"
    duplicate_id = "duplicate_id"
    too_long = "too_long"
    too_deep = "too_deep"
    summary_directive = "summary_directive"
    placeholder = "placeholder"
    no_card = "no_card"
    review_age = "review_age"
    review_due = "review_due"
    disclosure = "disclosure"
    # Required fields and empty values.
    required = "required"
    empty = "empty"
    # Dates and locators.
    date = "date"
    date_future = "date_future"
    date_early = "date_early"
    date_form = "date_form"
    volume = "volume"
    issue = "issue"
    pages = "pages"
    # Identifiers.
    pmid = "pmid"
    pmcid = "pmcid"
    doi = "doi"
    issn = "issn"
    isbn = "isbn"
    # URLs.
    url = "url"
    url_mismatch = "url_mismatch"
    url_legacy = "url_legacy"
    # Journals.
    journal_unknown = "journal_unknown"
    journal_full_title = "journal_full_title"
    journal_platform = "journal_platform"
    # Text hygiene.
    mojibake = "mojibake"
    invisible = "invisible"
    brackets = "brackets"
    spaces = "spaces"
    dash_in_word = "dash_in_word"
    trailing_punct = "trailing_punct"
    all_caps = "all_caps"
    summary = "summary"
    # Across citations.
    duplicate = "duplicate"
    conflict = "conflict"
    # Waivers themselves.
    waiver = "waiver"
    # Page metadata and placement.
    reviewed = "reviewed"
    placement = "placement"
    duplicate_option = "duplicate_option"
    encoding = "encoding"
    export_collision = "export_collision"
    # The entry against the record its identifier names (E-utilities, Crossref).
    record_title = "record_title"
    record_title_edited = "record_title_edited"
    record_journal = "record_journal"
    record_year = "record_year"
    record_year_gap = "record_year_gap"
    record_locator = "record_locator"
    record_authors = "record_authors"
    identifier_conflict = "identifier_conflict"
    retracted = "retracted"
    concern = "concern"
    corrected = "corrected"
    unverified = "unverified"
    id_candidate = "id_candidate"
    # External links.
    link_broken = "link_broken"
    link_anchor = "link_anchor"
    link_soft_404 = "link_soft_404"
    link_refused = "link_refused"
    link_identifier = "link_identifier"
    link_redirected = "link_redirected"
    link_blocked = "link_blocked"
    link_transient = "link_transient"
    link_unconfirmed = "link_unconfirmed"
    link_unchecked = "link_unchecked"
    link_pending = "link_pending"
    link_cache = "link_cache"
    link_cache_rows = "link_cache_rows"

    @property
    def info(self) -> SubtypeInfo:
        """The documented meaning, default severity and fix of this subtype."""
        return SUBTYPES[self]


SUBTYPES: dict[Subtype, SubtypeInfo] = {
    Subtype.topic_unknown: SubtypeInfo(
        "error",
        "A topic reference (the topic role or a citation's also-see) names no topic page.",
        "Use the slug of an existing page under docs/topics/ (its file name without .md); "
        "the message lists the closest names.",
    ),
    Subtype.raw_html: SubtypeInfo(
        "error",
        "Raw HTML in a page; it is removed from the output so no page can run script.",
        "Write Markdown instead of HTML (links, emphasis, lists, tables all have Markdown forms).",
    ),
    Subtype.unsafe_url: SubtypeInfo(
        "error",
        "A link whose scheme is not http, https or mailto; it is not linked.",
        "Link with an https:// address.",
    ),
    Subtype.duplicate_id: SubtypeInfo(
        "error",
        "Two citations on one page would get the same anchor.",
        "Give one of them its own :id:.",
    ),
    Subtype.required: SubtypeInfo(
        "error",
        "A field that this kind of citation needs is missing (an article needs title, "
        "journal and date; news needs title, outlet, date and url).",
        "Add the field from the source record; if the fact cannot be found, waive the rule "
        "with a reason (:waive: required: <why>) rather than inventing it.",
    ),
    Subtype.empty: SubtypeInfo(
        "error",
        "A field is present but empty or only white space.",
        "Fill it in or delete the line.",
    ),
    Subtype.date: SubtypeInfo(
        "error",
        "The date is not YYYY, YYYY-MM or YYYY-MM-DD, or is not a calendar date.",
        "Write the publication date as 2019, 2019-07 or 2019-07-25.",
    ),
    Subtype.date_future: SubtypeInfo(
        "error", "The date is later than today.", "Check the year; use the publication date."
    ),
    Subtype.date_early: SubtypeInfo(
        "error", "The date is before 1800.", "Check the year; use the publication date."
    ),
    Subtype.date_form: SubtypeInfo(
        "note",
        "(Importer) The legacy date's form does not fit its source: a numeric date where PubMed "
        "writes 2019 Jul 25 (often the electronic date), or a day-level date with volume and "
        "pages (an electronic date mixed with a print citation, unless the journal is weekly).",
        "Check the record: cite the issue's date with its locators, or the electronic date alone.",
    ),
    Subtype.volume: SubtypeInfo(
        "error",
        "The volume is not a number (or a number with a supplement suffix).",
        "Write the volume alone, e.g. 64; put the issue in :issue:.",
    ),
    Subtype.issue: SubtypeInfo(
        "error",
        "The issue is not a number, a range or a supplement label.",
        "Write the issue alone, e.g. 6, 3-4 or Suppl 2.",
    ),
    Subtype.pages: SubtypeInfo(
        "error",
        "The pages are not a page, a range with start before end, an e-locator or an "
        "article number.",
        "Write 433-438 (elided 106-13 is expanded for you), e4912, or an article number.",
    ),
    Subtype.pmid: SubtypeInfo(
        "error",
        "The PMID is not a whole number between 1 and the configured ceiling.",
        "Copy the number after PMID: on the PubMed page, digits only.",
    ),
    Subtype.pmcid: SubtypeInfo(
        "error", "The PMCID is not PMC followed by digits.", "Write it as PMC5999247."
    ),
    Subtype.doi: SubtypeInfo(
        "error",
        "The DOI is not 10.<registrant>/<suffix>, has white space or trailing punctuation, or "
        "carries a resolver prefix.",
        "Write the bare DOI, e.g. 10.1016/j.chest.2019.06.036.",
    ),
    Subtype.issn: SubtypeInfo(
        "error", "The ISSN check digit is wrong.", "Copy the ISSN from the journal's record."
    ),
    Subtype.isbn: SubtypeInfo(
        "error", "The ISBN check digit is wrong.", "Copy the ISBN from the book's record."
    ),
    Subtype.url: SubtypeInfo(
        "error",
        "The URL is not http(s), carries credentials or white space, or has no real host.",
        "Paste the address from the browser's address bar.",
    ),
    Subtype.url_mismatch: SubtypeInfo(
        "error",
        "The URL names a PubMed, PMC or DOI record that differs from the citation's identifier.",
        "Make the URL and the identifier name the same record (or drop the URL: identifiers "
        "already link).",
    ),
    Subtype.url_legacy: SubtypeInfo(
        "note",
        "The URL uses a retired form (www.ncbi.nlm.nih.gov/pubmed/N).",
        "Use the canonical form the message gives.",
    ),
    Subtype.journal_unknown: SubtypeInfo(
        "note",
        "The journal is not in the NLM abbreviation list (the list is from 2021, so new "
        "journals are missing).",
        "Use the NLM abbreviation as PubMed prints it, e.g. Osteoporos Int.",
    ),
    Subtype.journal_full_title: SubtypeInfo(
        "error",
        "The journal is given by its full title; the site uses NLM abbreviations.",
        "Use the abbreviation the message suggests.",
    ),
    Subtype.journal_platform: SubtypeInfo(
        "error",
        "A hosting platform or database (Wiley Online Library, ScienceDirect, PubMed) is given "
        "as the journal.",
        "Name the journal itself; put the platform in :outlet: if it matters.",
    ),
    Subtype.mojibake: SubtypeInfo(
        "error",
        "Encoding damage in the text (â€™, Ã©, U+FFFD, a » where > was meant).",
        "Retype the damaged characters; the message suggests the likely original.",
    ),
    Subtype.invisible: SubtypeInfo(
        "error",
        "Invisible characters (zero-width, soft hyphen, no-break space, control characters).",
        "Delete them; retype the word if needed.",
    ),
    Subtype.brackets: SubtypeInfo(
        "error",
        "Unbalanced brackets or parentheses.",
        "Close or remove the bracket the message points at.",
    ),
    Subtype.spaces: SubtypeInfo(
        "error", "Doubled spaces, or space before punctuation.", "Use single spaces."
    ),
    Subtype.dash_in_word: SubtypeInfo(
        "error",
        "An en or em dash inside a word (meta–analysis), usually a damaged hyphen.",
        "Use a plain hyphen: meta-analysis.",
    ),
    Subtype.trailing_punct: SubtypeInfo(
        "error",
        "The title ends with a full stop or comma that the renderer adds itself.",
        "Delete the final full stop; ? and ! are kept.",
    ),
    Subtype.all_caps: SubtypeInfo(
        "error", "The title is in capitals.", "Write the title in the article's own case."
    ),
    Subtype.outside_file: SubtypeInfo(
        "error",
        "An image (or another file a page shows) lies outside the site's folder. A page may "
        "only show files under docs/, or a pull request could publish any file of the machine "
        "that builds it; the image was left out.",
        "Put the file under docs/ (e.g. docs/_static/) and link it from there.",
    ),
    Subtype.placeholder: SubtypeInfo(
        "error",
        "Text from the new-topic template is still on the page (an introduction, a title, a "
        "journal or a summary that only says what to write).",
        "Write the real text in its place, or delete the example citation.",
    ),
    Subtype.no_card: SubtypeInfo(
        "warning",
        "A topic page has no card on the home page, which lists every topic as a card: readers "
        "cannot find it from there.",
        "Add a grid-item-card for it to docs/index.md (:link: topics/<slug>, :link-type: doc).",
    ),
    Subtype.disclosure: SubtypeInfo(
        "note",
        "A fact readers of health information are owed is not stated: who runs the site, its "
        "funding, its advertising, where to report a problem, or a page's author. The pages "
        'say "not stated" rather than a statement nobody made.',
        "Set sclero_publisher, sclero_funding, sclero_advertising and sclero_repository in "
        "conf.py, and author: Name (role) in each topic page's front matter.",
    ),
    Subtype.review_due: SubtypeInfo(
        "note",
        "A topic page's planned review date (next-review:, or three years after reviewed:) "
        "has passed. Readers see that its review is overdue.",
        "Have a clinician review the page, then update reviewed: and reviewed-by:.",
    ),
    Subtype.review_age: SubtypeInfo(
        "note",
        "A topic page cites no review (guideline, systematic review, meta-analysis or review) "
        "among its verified articles, or only reviews more than five years old. Medical "
        "sourcing guidelines prefer recent reviews to single studies.",
        "Look for a recent review on PubMed (filter: Review, Systematic Review) and cite it.",
    ),
    Subtype.too_long: SubtypeInfo(
        "error",
        "A field, title or summary is longer than anything real (the limits are listed in the "
        "contributor guide). It was left out, or only its start is shown.",
        "Shorten it to the value the source prints.",
    ),
    Subtype.too_deep: SubtypeInfo(
        "error",
        "Directives nest deeper than a page may (see the limits in the contributor guide). "
        "The page is left out of the site until they nest less.",
        "Close the directives you opened; nest a few levels at most.",
    ),
    Subtype.summary_directive: SubtypeInfo(
        "error",
        "A citation's summary holds a directive (toctree, include, raw, another citation ...). "
        "A summary is one or two sentences of text; the directive was left out.",
        "Move the directive out of the citation, or delete it.",
    ),
    Subtype.summary: SubtypeInfo(
        "error",
        "The summary is empty or not a sentence (no capital start or no final stop).",
        "Write one sentence that says what the study found.",
    ),
    Subtype.duplicate: SubtypeInfo(
        "error",
        "The same PMID, DOI, PMCID, URL or title appears twice on one page.",
        "Keep one entry; merge their also-see targets.",
    ),
    Subtype.conflict: SubtypeInfo(
        "error",
        "The same work is cited on two pages with different title, journal or date.",
        "Make both entries agree with the source record.",
    ),
    Subtype.waiver: SubtypeInfo(
        "error",
        "A :waive: option names no rule, gives no reason, or waives a rule that finds nothing.",
        "Write :waive: <rule>: <reason>, with a rule from this list.",
    ),
    Subtype.reviewed: SubtypeInfo(
        "error",
        "A topic page's front-matter reviewed: date is not YYYY-MM-DD or is in the future.",
        "Write the day the page was last checked against its sources, e.g. reviewed: 2026-11-24.",
    ),
    Subtype.placement: SubtypeInfo(
        "error",
        "A citation directive outside a topic page (only topic pages list, export and back-link "
        "their entries).",
        "Move the entry into a page under docs/topics/.",
    ),
    Subtype.duplicate_option: SubtypeInfo(
        "error",
        "A citation gives the same field twice; only the last value would be kept.",
        "Keep one line of the field, with the value from the source record.",
    ),
    Subtype.encoding: SubtypeInfo(
        "error",
        "A page is not valid UTF-8 text; it cannot be read.",
        "Save the file as UTF-8 (the message names the first bad byte's line).",
    ),
    Subtype.export_collision: SubtypeInfo(
        "error",
        "Two topic pages would write the same citation download file.",
        "Rename one of the pages (for example zz/x.md and zz-x.md collide).",
    ),
    Subtype.record_title: SubtypeInfo(
        "error",
        "The title is not the title of the record the identifier names (more than 3 edits "
        "apart after normalising case, accents, punctuation and markers): the identifier most "
        "likely belongs to another paper.",
        "Copy the identifier again from the article's own PubMed or publisher page; if it is "
        "right, make the title the record's.",
    ),
    Subtype.record_title_edited: SubtypeInfo(
        "note",
        "The title matches the record only once an inserted abbreviation in parentheses, such "
        "as (CD), is ignored.",
        "Use the record's title; disclose the legacy wording with :legacy: title: <as printed>.",
    ),
    Subtype.record_journal: SubtypeInfo(
        "error",
        "The journal is not the record's (its NLM abbreviation).",
        "Use the journal the record gives, or check the identifier.",
    ),
    Subtype.record_year: SubtypeInfo(
        "error",
        "The year is neither the print nor the electronic year of the record.",
        "Use the record's publication date, or check the identifier.",
    ),
    Subtype.record_year_gap: SubtypeInfo(
        "note",
        "The year is one year from the record's (often the electronic and the print year).",
        "Use the record's print date if the entry cites the print issue.",
    ),
    Subtype.record_locator: SubtypeInfo(
        "error",
        "The volume, issue or first page is not the record's.",
        "Copy the locators from the record, or check the identifier.",
    ),
    Subtype.record_authors: SubtypeInfo(
        "error",
        "The authors written in :authors: are not the record's, in its order.",
        "Copy the names from the record (up to six, then et al.), or check the identifier.",
    ),
    Subtype.identifier_conflict: SubtypeInfo(
        "error",
        "Two identifiers of one entry name different records (a PMID and a DOI of two papers).",
        "Keep the identifier of the paper the entry describes; copy the other again from it.",
    ),
    Subtype.retracted: SubtypeInfo(
        "error",
        "The article was retracted or withdrawn; readers see a banner with the notice.",
        "Remove the entry, or keep it only with a waiver that says why it is still cited.",
    ),
    Subtype.concern: SubtypeInfo(
        "warning",
        "The journal published an expression of concern about the article; readers see a "
        "banner with the notice.",
        "Read the notice; keep the entry with a waiver that says why, or remove it.",
    ),
    Subtype.corrected: SubtypeInfo(
        "note",
        "A correction (erratum) was published; the entry links to it.",
        "Check that the summary still holds after the correction.",
    ),
    Subtype.unverified: SubtypeInfo(
        "note",
        "The identifier could not be verified in this build (offline, the registry unreachable, "
        "a timeout, 429 or 5xx): not a problem with the page.",
        "Nothing; make check verifies it when the registry answers.",
    ),
    Subtype.id_candidate: SubtypeInfo(
        "note",
        "A journal article without an identifier has a PubMed record whose title, journal and "
        "year agree with it; the PMID is a candidate, never added automatically.",
        "Open the candidate's PubMed page; if it is the article, add :pmid: (make suggest-ids "
        "lists all candidates).",
    ),
    Subtype.link_broken: SubtypeInfo(
        "error",
        "A link answered 404 or 410 (or a soft 404) twice, some hours apart.",
        "Find the page's new address (a web archive often has it) or remove the link.",
    ),
    Subtype.link_anchor: SubtypeInfo(
        "error",
        "The linked page works but has no element with the #fragment the link names.",
        "Link the page without the fragment, or the fragment the page now uses.",
    ),
    Subtype.link_soft_404: SubtypeInfo(
        "error",
        "The page answers 200 but says it was not found, or redirects to a home or search page.",
        "Find the item's new address; a citation's DOI or PMID link is the stable choice.",
    ),
    Subtype.link_refused: SubtypeInfo(
        "error",
        "The link (or a redirect) points at a private, loopback or link-local address.",
        "Link the public address; conf.py's sclero_linkcheck_allowed_hosts lists exceptions.",
    ),
    Subtype.link_identifier: SubtypeInfo(
        "error",
        "The DOI is not registered at doi.org, or NCBI has no record of the PMID or PMCID.",
        "Copy the identifier again from the article's PubMed page.",
    ),
    Subtype.link_redirected: SubtypeInfo(
        "note", "The link moved permanently.", "Use the new address the message gives."
    ),
    Subtype.link_blocked: SubtypeInfo(
        "note",
        "The site refuses automated checks (403, 418, 999, a bot wall): unverifiable, not broken.",
        "Nothing to do when the citation's DOI or PMID exists; otherwise check it by hand.",
    ),
    Subtype.link_transient: SubtypeInfo(
        "note",
        "Not verified: a DNS failure, refused connection, timeout, 5xx or 429 is a fault of the "
        "network or the server, never counted as broken.",
        "Nothing; it is checked again on a later build.",
    ),
    Subtype.link_unconfirmed: SubtypeInfo(
        "note",
        "The link failed once; it counts as broken only if it still fails hours later.",
        "Nothing yet; check the link if it keeps appearing.",
    ),
    Subtype.link_unchecked: SubtypeInfo(
        "note",
        "An offline build has no result for this link yet.",
        "Run make check or make linkcheck to check new links.",
    ),
    Subtype.link_pending: SubtypeInfo(
        "note",
        "The build's time budget ran out before this link was checked.",
        "Nothing; the next build checks it first, or run make linkcheck.",
    ),
    Subtype.link_cache: SubtypeInfo(
        "warning",
        "The link cache could not be used as it is: locked by another process, read-only, of "
        "another schema (moved aside) or corrupt (kept as .corrupt). Nothing in it is lost.",
        "Nothing, unless it repeats: then close the other build, or delete the set-aside file.",
    ),
    Subtype.link_cache_rows: SubtypeInfo(
        "note",
        "Rows of the link cache could not be read (a column of the wrong type, JSON that does "
        "not parse). They were dropped: what they held is fetched or made again, and the "
        "healthy rows are used as they are.",
        "Nothing; the rows are replaced by this build. If it repeats, look for another tool "
        "writing to the cache file.",
    ),
}


def parse_subtype(name: str) -> Subtype | None:
    """The subtype called ``name`` (with or without the ``sclero.`` prefix), or None."""
    name = name.strip().removeprefix(WARNING_TYPE + ".")
    try:
        return Subtype(name)
    except ValueError:
        return None
