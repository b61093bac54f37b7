"""Property-based tests: the parsers never raise, and always give a finding or a pass."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from sclero.checks.dates import check_date, check_pages, expand_range
from sclero.checks.identifiers import check_doi, check_isbn, check_issn, check_pmcid, check_pmid
from sclero.checks.text import (
    check_brackets,
    check_dashes,
    check_invisible,
    check_mojibake,
    check_spaces,
    check_summary_shape,
    check_title_shape,
)
from sclero.checks.urls import check_url_syntax
from sclero.model.rules import Subtype

TODAY = date(2026, 11, 24)
ANY_TEXT = st.text(max_size=80)
CHECKS = [
    lambda v: check_date(v, TODAY),
    check_pages,
    lambda v: check_pmid(v, 60_000_000),
    check_pmcid,
    check_doi,
    check_issn,
    check_isbn,
    check_url_syntax,
    check_mojibake,
    check_invisible,
    check_brackets,
    check_spaces,
    check_dashes,
    check_title_shape,
    check_summary_shape,
]


@settings(max_examples=300)
@given(value=ANY_TEXT, index=st.integers(min_value=0, max_value=len(CHECKS) - 1))
def test_checks_never_raise_and_return_findings(value: str, index: int) -> None:
    problems = CHECKS[index](value)
    assert isinstance(problems, list)
    for subtype, message in problems:
        assert isinstance(subtype, Subtype)
        assert message


@given(st.dates(min_value=date(1800, 1, 1), max_value=TODAY))
def test_every_real_past_date_passes_at_every_precision(day: date) -> None:
    for text in (day.isoformat(), day.isoformat()[:7], day.isoformat()[:4]):
        assert check_date(text, TODAY) == []


@given(st.dates(min_value=date(2027, 1, 1)))
def test_future_dates_are_future(day: date) -> None:
    assert [s for s, _ in check_date(day.isoformat(), TODAY)] == [Subtype.date_future]


@given(st.integers(1, 99_999), st.integers(1, 99_999))
def test_page_ranges_pass_exactly_when_the_expanded_end_is_later(start: int, end: int) -> None:
    full_end = int(expand_range(str(start), str(end)))
    assert (check_pages(f"{start}-{end}") == []) == (full_end > start)


@given(st.integers(1, 60_000_000))
def test_every_pmid_in_range_passes(pmid: int) -> None:
    assert check_pmid(str(pmid), 60_000_000) == []


@given(st.from_regex(r"10\.[0-9]{4,9}/[A-Za-z0-9._;()/:-]*[A-Za-z0-9]", fullmatch=True))
def test_well_formed_dois_pass(doi: str) -> None:
    assert check_doi(doi) == []


@given(st.from_regex(r"10\.[0-9]{4,9}/[a-z0-9.]*[a-z0-9]", fullmatch=True), st.sampled_from(".,"))
def test_trailing_punctuation_is_found_and_no_doi_is_made_up(doi: str, mark: str) -> None:
    """A final stop may stand for a lost character: the DOI is never "fixed" by editing it."""
    [(subtype, message)] = check_doi(doi + mark)
    assert subtype is Subtype.doi
    assert "did you mean" not in message and message.endswith(
        "copy it again from the article's page"
    )


@given(
    st.integers(min_value=10_000_000, max_value=49_999_999),
    st.integers(min_value=0, max_value=7),
    st.sampled_from("OoIlSB "),
)
def test_a_stray_character_in_a_pmid_never_gets_a_made_up_number(
    pmid: int, position: int, letter: str
) -> None:
    """3142O815 was 31420815, not 3142815: no number is made by deleting characters."""
    digits = str(pmid)
    damaged = digits[:position] + letter + digits[position + 1 :]
    [(subtype, message)] = check_pmid(damaged, 60_000_000)
    assert subtype is Subtype.pmid
    assert "did you mean" not in message
    assert message.endswith("copy it again from the article's PubMed page")


@given(st.integers(1900, 2026), st.integers(1, 12), st.integers(1, 12))
def test_a_date_that_reads_both_ways_gets_both_readings(year: int, first: int, second: int) -> None:
    """03/11/2016 is March 11 or 3 November: no reading is assumed."""
    [(subtype, message)] = check_date(f"{first:02d}/{second:02d}/{year}", date(2026, 11, 24))
    assert subtype is Subtype.date
    one = f"{year}-{first:02d}-{second:02d}"
    other = f"{year}-{second:02d}-{first:02d}"
    if first == second:
        assert message.endswith(f"did you mean {one}?")
    else:
        assert f"it reads both ways: {one} (month first) or {other} (day first)" in message
        assert "did you mean" not in message


@given(st.integers(1900, 2026), st.integers(1, 12), st.integers(13, 28))
def test_a_date_with_one_reading_gets_it(year: int, month: int, day: int) -> None:
    """07/25/2019 can only be July 25: the suggestion cannot be wrong."""
    [(_, message)] = check_date(f"{month:02d}/{day:02d}/{year}", date(2026, 11, 24))
    assert message.endswith(f"did you mean {year}-{month:02d}-{day:02d}?")
