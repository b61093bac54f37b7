"""Each citation rule: a failing citation gives exactly one located warning, a passing one none."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import pytest
from sclero.model.rules import SUBTYPES, Subtype

from .conftest import BuildPages, citation

# A well-formed journal article; each case changes what its rule is about.
GOOD = {
    "outlet": "PubMed",
    "journal": "Chest",
    "date": "2019-12",
    "volume": "156",
    "issue": "6",
    "pages": "1092-1110",
    "doi": "10.1016/j.chest.2019.06.036",
}


def page(*citations: str) -> str:
    """A page whose first citation directive starts on line 3."""
    return "# Page\n\n" + "\n".join(citations)


def fields(**changes: str | None) -> dict[str, str]:
    """GOOD with ``changes`` applied (None removes a field)."""
    merged = {**GOOD, **changes}
    return {k: v for k, v in merged.items() if v is not None}


# (subtype, failing citation, passing citation, expected warning). Line 3 is the directive;
# the options follow in GOOD's order (outlet 4, journal 5, date 6, volume 7, issue 8,
# pages 9, doi 10), then extra fields, a blank line, and the summary.
CASES: list[tuple[Subtype, str, str, str]] = [
    (
        Subtype.required,
        citation(**fields(journal=None)),
        citation(**fields()),
        "index.md:3: WARNING: 'A study of bone density' has no :journal: "
        "(an article citation needs title, journal, date) [sclero.required]",
    ),
    (
        Subtype.empty,
        citation(**fields(volume="")),
        citation(**fields(volume="156")),
        "index.md:7: WARNING: field :volume: is empty [sclero.empty]",
    ),
    (
        Subtype.date,
        citation(**fields(date="2019-02-30")),
        citation(**fields(date="2020-02-29")),
        "index.md:6: WARNING: date 2019-02-30 is not a calendar date "
        "(February 2019 has 28 days)"
        "; write the publication date as 2019, 2019-07 or 2019-07-25 [sclero.date]",
    ),
    (
        Subtype.date_future,
        citation(**fields(date="2026-12")),
        citation(**fields(date="2026-11")),
        "index.md:6: WARNING: date 2026-12 is in the future (today is 2026-11-24) "
        "[sclero.date_future]",
    ),
    (
        Subtype.date_early,
        citation(**fields(date="1799")),
        citation(**fields(date="1800")),
        "index.md:6: WARNING: date 1799 is before 1800; check the year [sclero.date_early]",
    ),
    (
        Subtype.volume,
        citation(**fields(volume="64(6)")),
        citation(**fields(volume="64 Suppl 2")),
        "index.md:7: WARNING: volume '64(6)' is not a volume number; did you mean "
        ":volume: 64 and :issue: 6? [sclero.volume]",
    ),
    (
        Subtype.issue,
        citation(**fields(issue="six")),
        citation(**fields(issue="3-4")),
        "index.md:8: WARNING: issue 'six' is not an issue number [sclero.issue]",
    ),
    (
        Subtype.pages,
        citation(**fields(pages="106-03")),
        citation(**fields(pages="106-13")),
        "index.md:9: WARNING: pages 106-03: the range ends at 103, not after its start 106 "
        "[sclero.pages]",
    ),
    (
        Subtype.pmid,
        citation(**fields(pmid="PMID: 29898932")),
        citation(**fields(pmid="29898932")),
        "index.md:11: WARNING: PMID 'PMID: 29898932' must be digits only; did you mean "
        "29898932? [sclero.pmid]",
    ),
    (
        Subtype.pmcid,
        citation(**fields(pmcid="5999247")),
        citation(**fields(pmcid="PMC5999247")),
        "index.md:11: WARNING: PMCID '5999247' is not PMC followed by digits; did you mean "
        "PMC5999247? [sclero.pmcid]",
    ),
    (
        Subtype.doi,
        citation(**fields(doi="10.1016/j.chest.2019.06.036.")),
        citation(**fields(doi="10.1016/j.chest.2019.06.036")),
        "index.md:10: WARNING: DOI '10.1016/j.chest.2019.06.036.' ends with '.', which a DOI "
        "almost never does; copy it again from the article's page [sclero.doi]",
    ),
    (
        Subtype.issn,
        citation(**fields(issn="0012-3691")),
        citation(**fields(issn="0012-3692")),
        "index.md:11: WARNING: ISSN '0012-3691' is not valid (The number's checksum or check "
        "digit is invalid.); copy it from the journal's record [sclero.issn]",
    ),
    (
        Subtype.isbn,
        citation(**fields(isbn="978-0-306-40615-6")),
        citation(**fields(isbn="978-0-306-40615-7")),
        "index.md:11: WARNING: ISBN '978-0-306-40615-6' is not valid (The number's checksum "
        "or check digit is invalid.) [sclero.isbn]",
    ),
    (
        Subtype.url,
        citation(**fields(url="https://user:secret@example.org/a")),
        citation(**fields(url="https://example.org/a")),
        "index.md:11: WARNING: URL 'https://***@example.org/a' carries a user name "
        "or password; remove them [sclero.url]",
    ),
    (
        Subtype.url_mismatch,
        citation(**fields(pmid="29898932", url="https://pubmed.ncbi.nlm.nih.gov/27091558/")),
        citation(**fields(pmid="29898932", url="https://pubmed.ncbi.nlm.nih.gov/29898932/")),
        "index.md:12: WARNING: URL names PMID 27091558 but :pmid: is 29898932 "
        "[sclero.url_mismatch]",
    ),
    (
        Subtype.journal_full_title,
        citation(**fields(journal="Osteoporosis International")),
        citation(**fields(journal="Osteoporos Int")),
        "index.md:5: WARNING: journal 'Osteoporosis International' is not the NLM "
        "abbreviation; did you mean 'Osteoporos Int'? [sclero.journal_full_title]",
    ),
    (
        Subtype.journal_platform,
        citation(**fields(journal="Wiley Online Library")),
        citation(**fields(outlet="Wiley Online Library", journal="Int J Rheum Dis")),
        "index.md:5: WARNING: journal 'Wiley Online Library' is a platform or database, not "
        "a journal; name the journal [sclero.journal_platform]",
    ),
    (
        Subtype.mojibake,
        citation("Patientsâ€™ views of bone density", **fields()),
        citation("Patients’ views of bone density", **fields()),
        "index.md:3: WARNING: title: encoding damage 'â€' in '…Patientsâ€™ views of bone…'; "
        "did you mean 'Patients’ views of'? [sclero.mojibake]",
    ),
    (
        Subtype.invisible,
        citation("Bone den\u00adsity in women", **fields()),
        citation("Bone density in women", **fields()),
        "index.md:3: WARNING: title: invisible character (soft hyphen) at "
        "'…Bone den⟦·⟧sity in women…' [sclero.invisible]",
    ),
    (
        Subtype.brackets,
        citation("Bone density (BMD in women", **fields()),
        citation("Bone density (BMD) in women", **fields()),
        "index.md:3: WARNING: title: '(' is never closed: '(BMD in women…' [sclero.brackets]",
    ),
    (
        Subtype.spaces,
        citation("Bone  density in women", **fields()),
        citation("Bone density in women", **fields()),
        "index.md:3: WARNING: title: doubled space in '…Bone  density in…' [sclero.spaces]",
    ),
    (
        Subtype.dash_in_word,
        citation("A meta–analysis of bone density", **fields()),
        citation("A meta-analysis of bone density", **fields()),
        "index.md:3: WARNING: title: dash inside the word 'meta–analysis'; did you mean "
        "'meta-analysis'? [sclero.dash_in_word]",
    ),
    (
        Subtype.trailing_punct,
        citation("A study of bone density.", **fields()),
        citation("Does bone density matter?", **fields()),
        "index.md:3: WARNING: title ends with '.', which the renderer adds itself; write "
        "'A study of bone density' [sclero.trailing_punct]",
    ),
    (
        Subtype.all_caps,
        citation("A STUDY OF BONE DENSITY", **fields()),
        citation("A study of BMD in SSc", **fields()),
        "index.md:3: WARNING: title is in capitals: 'A STUDY OF BONE DENSITY' [sclero.all_caps]",
    ),
    (
        Subtype.summary,
        citation(body="it found something", **fields()),
        citation(body="It found something.", **fields()),
        "index.md:12: WARNING: summary does not start a sentence: 'it found something' "
        "[sclero.summary]",
    ),
]


@pytest.mark.parametrize(("subtype", "bad", "good", "expected"), CASES, ids=lambda c: str(c)[:20])
def test_rule_fails_then_passes(
    build_pages: BuildPages, tmp_path: Path, subtype: Subtype, bad: str, good: str, expected: str
) -> None:
    """The failing citation gives exactly the expected line; the passing one gives none."""
    failing = build_pages({"index": page(bad)}, srcdir=tmp_path / "bad")
    assert failing.warnings == [expected]
    passing = build_pages({"index": page(good)}, srcdir=tmp_path / "good")
    assert passing.warnings == []


@pytest.mark.parametrize(
    ("subtype", "bad"), [(c[0], c[1]) for c in CASES], ids=lambda c: str(c)[:20]
)
def test_each_rule_can_be_suppressed(build_pages: BuildPages, subtype: Subtype, bad: str) -> None:
    """``suppress_warnings = ["sclero.<rule>"]`` silences exactly that rule."""
    suppressed = [f"sclero.{subtype}", "sclero.placement", "sclero.unverified"]
    built = build_pages({"index": page(bad)}, conf=f"suppress_warnings = {suppressed!r}")
    assert built.warnings == []


# Rules whose failing case needs more than one citation, a whole page, a server or a
# registry: the test that proves each. No rule is exempt, link rules included.
DEDICATED = {
    Subtype.topic_unknown: (
        "test_rules_across",
        "test_unknown_topic_in_also_see_is_reported_once_with_suggestion",
    ),
    Subtype.raw_html: ("test_security", "test_raw_html_is_removed_and_reported"),
    Subtype.unsafe_url: ("test_security", "test_unsafe_scheme_in_rst_link_is_unlinked"),
    Subtype.duplicate_id: (
        "test_rules_across",
        "test_duplicate_anchor_gets_a_suffix_and_a_warning",
    ),
    Subtype.url_legacy: ("test_rules_across", "test_notes_are_listed_but_never_warnings"),
    Subtype.journal_unknown: ("test_rules_across", "test_notes_are_listed_but_never_warnings"),
    Subtype.duplicate: (
        "test_rules_across",
        "test_duplicate_on_one_page_is_reported_at_the_second",
    ),
    Subtype.conflict: ("test_rules_across", "test_same_work_on_two_pages_must_agree"),
    Subtype.waiver: ("test_rules", "test_unused_waiver_is_reported"),
    Subtype.reviewed: ("test_readers", "test_bad_reviewed_date_is_located"),
    Subtype.date_form: (
        "test_importer",
        "test_make_import_writes_the_page_and_refuses_to_overwrite",
    ),
    Subtype.placement: ("test_hardening", "test_a_citation_outside_a_topic_page_is_located"),
    Subtype.duplicate_option: ("test_hardening", "test_a_duplicate_option_is_located"),
    Subtype.encoding: ("test_hardening", "test_every_malformed_page_gets_a_located_finding"),
    Subtype.export_collision: (
        "test_hardening",
        "test_pages_that_differ_only_in_case_are_a_located_error",
    ),
    Subtype.record_title: (
        "test_verify",
        "test_pmid_of_another_paper_fails_at_its_line_with_both_titles",
    ),
    Subtype.record_title_edited: (
        "test_verify",
        "test_an_inserted_abbreviation_is_a_note_and_a_wrong_year_an_error",
    ),
    Subtype.record_journal: ("test_verify", "test_details_against_the_record"),
    Subtype.record_year: (
        "test_verify",
        "test_an_inserted_abbreviation_is_a_note_and_a_wrong_year_an_error",
    ),
    Subtype.record_year_gap: ("test_verify", "test_details_against_the_record"),
    Subtype.record_locator: ("test_verify", "test_details_against_the_record"),
    Subtype.identifier_conflict: (
        "test_verify",
        "test_doi_of_another_paper_and_identifiers_that_disagree",
    ),
    Subtype.retracted: ("test_verify", "test_retraction_shows_a_banner_and_fails_the_strict_build"),
    Subtype.concern: ("test_verify", "test_corrections_and_concerns"),
    Subtype.corrected: ("test_verify", "test_corrections_and_concerns"),
    Subtype.unverified: ("test_verify", "test_every_registry_unreachable_fails_nothing"),
    Subtype.id_candidate: ("test_verify", "test_candidate_pmid_for_an_article_without_identifiers"),
    Subtype.link_broken: ("test_linkcheck", "test_every_occurrence_reported_and_damped"),
    Subtype.link_unconfirmed: ("test_linkcheck", "test_every_occurrence_reported_and_damped"),
    Subtype.link_anchor: (
        "test_linkcheck",
        "test_missing_anchor_and_soft_404_are_broken_once_confirmed",
    ),
    Subtype.link_soft_404: (
        "test_linkcheck",
        "test_missing_anchor_and_soft_404_are_broken_once_confirmed",
    ),
    Subtype.link_refused: ("test_linkcheck", "test_redirect_blocked_identifier_refused"),
    Subtype.link_identifier: ("test_linkcheck", "test_redirect_blocked_identifier_refused"),
    Subtype.link_redirected: ("test_linkcheck", "test_redirect_blocked_identifier_refused"),
    Subtype.link_blocked: ("test_linkcheck", "test_redirect_blocked_identifier_refused"),
    Subtype.link_transient: ("test_verify", "test_every_registry_unreachable_fails_nothing"),
    Subtype.link_unchecked: ("test_linkcheck", "test_offline_sends_no_request"),
    Subtype.link_pending: ("test_linkcheck", "test_budget_leaves_pending_work_pending"),
    Subtype.link_cache: ("test_linkcheck", "test_corrupt_cache_is_rebuilt_with_a_warning"),
    Subtype.link_cache_rows: ("test_hostile_cache", "test_a_corrupt_row_is_dropped_and_counted"),
    Subtype.too_long: ("test_hostile_pages", "test_a_page_range_of_a_hundred_thousand_digits"),
    Subtype.record_authors: (
        "test_verify",
        "test_authors_written_by_hand_are_compared_with_the_record",
    ),
    Subtype.disclosure: ("test_readers", "test_disclosures_come_from_conf_py_and_the_front_matter"),
    Subtype.review_due: ("test_readers", "test_a_review_cycle_of_three_years_at_most"),
    Subtype.review_age: ("test_verify", "test_the_evidence_on_a_page_at_a_glance"),
    Subtype.no_card: ("test_topics", "test_a_topic_without_a_card_on_the_home_page_is_reported"),
    Subtype.placeholder: (
        "test_hostile_pages",
        "test_the_new_topic_templates_placeholders_are_findings",
    ),
    Subtype.outside_file: (
        "test_hostile_pages",
        "test_a_page_cannot_publish_a_file_of_the_machine",
    ),
    Subtype.too_deep: (
        "test_hostile_pages",
        "test_directives_nested_past_the_limit_leave_the_page_out",
    ),
    Subtype.summary_directive: (
        "test_hostile_pages",
        "test_directives_in_a_summary_are_left_out_at_their_line",
    ),
}


def test_every_subtype_has_a_test_that_names_it() -> None:
    """No rule ships without a failing case, and each named test asserts the rule's tag."""
    assert {c[0] for c in CASES} | set(DEDICATED) == set(SUBTYPES)
    for subtype, where in DEDICATED.items():
        module_name, name = where
        test = getattr(importlib.import_module(f"tests.{module_name}"), name)
        assert f"sclero.{subtype.value}]" in inspect.getsource(test), (subtype, where)


def test_waiver_silences_one_rule_and_is_counted(build_pages: BuildPages) -> None:
    """A waived finding is not a warning, but the JSON report counts it with its reason."""
    bad = citation(**fields(journal=None, waive="required: journal not found in the seed"))
    built = build_pages({"index": page(bad)})
    assert built.warnings == []
    report = json.loads((Path(built.app.outdir) / "citation-report.json").read_text())
    assert report["totals"] == {"errors": 0, "warnings": 0, "notes": 0, "waived": 1}
    assert report["findings"][0]["waiver_reason"] == "journal not found in the seed"


def test_unused_waiver_is_reported(build_pages: BuildPages) -> None:
    """A waiver of a rule that finds nothing is itself a finding, at the :waive: line."""
    built = build_pages({"index": page(citation(**fields(waive="pmid: no reason needed")))})
    assert built.warnings == [
        "index.md:11: WARNING: waiver of 'pmid' is unused: the rule finds nothing in this "
        "citation; delete it [sclero.waiver]"
    ]


def test_severity_override_makes_an_error_a_note(build_pages: BuildPages) -> None:
    """``sclero_severity`` turns a rule into a maintenance note: listed, not a warning."""
    built = build_pages(
        {"index": page(citation(**fields(date="1799")))},
        conf="sclero_severity = {'date_early': 'note'}",
    )
    assert built.warnings == []
    assert "index.md:6: note: date 1799 is before 1800; check the year [sclero.date_early]" in (
        built.status
    )


def test_bad_severity_config_is_a_config_error(build_pages: BuildPages) -> None:
    """A misspelt rule in ``sclero_severity`` stops the build with a message naming it."""
    from sphinx.errors import ConfigError

    with pytest.raises(ConfigError, match="'dates' is not a rule name"):
        build_pages({"index": page()}, conf="sclero_severity = {'dates': 'note'}")
