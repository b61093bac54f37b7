"""PMID, PMCID and DOI syntax (CS1's rules), and ISSN/ISBN check digits (python-stdnum)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model.identifiers import DOI_SHAPE
from ..model.records import Citation, Finding
from ..model.rules import Subtype
from .context import CheckContext, finding

Problem = tuple[Subtype, str]

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def check_pmid(value: str, ceiling: int) -> list[Problem]:
    """A PMID is digits only, from 1 to ``ceiling``."""
    if label := re.fullmatch(r"PMID:?\s*([1-9][0-9]{0,11})", value, re.IGNORECASE):
        # The label copied along: dropping it leaves the number untouched.
        return [(Subtype.pmid, f"PMID {value!r} must be digits only; did you mean {label[1]}?")]
    if not value.isascii() or not value.isdigit():
        # Never a number made by deleting characters: "3142O815" was 31420815, not 3142815.
        return [
            (
                Subtype.pmid,
                f"PMID {value!r} must be digits only; copy it again from the article's PubMed page",
            )
        ]
    # Long digit strings would exceed int()'s conversion limit; no PMID has 13 digits.
    number = int(value) if len(value) <= 12 else ceiling + 1
    if len(value) > 12:
        return [(Subtype.pmid, f"PMID {value[:20]}… is longer than any PMID")]
    if not 1 <= number <= ceiling:
        return [(Subtype.pmid, f"PMID {value} is outside 1..{ceiling}")]
    if value != str(number):
        return [(Subtype.pmid, f"PMID {value} has leading zeros; did you mean {number}?")]
    return []


def check_pmcid(value: str) -> list[Problem]:
    """A PMCID is ``PMC`` followed by digits."""
    if re.fullmatch(r"PMC[1-9][0-9]*", value):
        return []
    # Only a certain fix is offered: the prefix written otherwise, the digits untouched.
    if re.fullmatch(r"(?:pmc|Pmc|PMC)?[1-9][0-9]{0,11}", value):
        fixed = "PMC" + value.upper().removeprefix("PMC")
        return [
            (Subtype.pmcid, f"PMCID {value!r} is not PMC followed by digits; did you mean {fixed}?")
        ]
    return [
        (
            Subtype.pmcid,
            f"PMCID {value!r} is not PMC followed by digits; copy it again from the article's "
            "PMC page",
        )
    ]


def check_doi(value: str) -> list[Problem]:
    """CS1's DOI rule: ``10.`` + registrant + ``/`` + suffix; bare, no space, no final stop."""
    if prefix := _DOI_PREFIX.match(value):
        bare = value[prefix.end() :]
        return [
            (
                Subtype.doi,
                f"DOI {value!r} carries the prefix {prefix.group(0)!r}; write the bare DOI: "
                f"did you mean {bare}?",
            )
        ]
    # A space or a final stop may stand where a character was lost: no fix is guessed.
    if any(ch.isspace() for ch in value):
        return [
            (
                Subtype.doi,
                f"DOI {value!r} contains white space; copy it again from the article's page",
            )
        ]
    if value.endswith((".", ",", ";", ":")):
        return [
            (
                Subtype.doi,
                f"DOI {value!r} ends with {value[-1]!r}, which a DOI almost never does; copy it "
                "again from the article's page",
            )
        ]
    if not DOI_SHAPE.fullmatch(value):
        return [
            (
                Subtype.doi,
                f"DOI {value!r} is not 10.<registrant>/<suffix> (e.g. 10.1016/j.chest.2019.06.036)",
            )
        ]
    return []


def check_issn(value: str) -> list[Problem]:
    """An ISSN is ``NNNN-NNNC`` with a correct check digit."""
    # A wrong check digit means some digit is wrong, not necessarily the last one.
    return _check_digit("ISSN", value, Subtype.issn, "; copy it from the journal's record")


def check_isbn(value: str) -> list[Problem]:
    """An ISBN-10 or ISBN-13 with a correct check digit."""
    return _check_digit("ISBN", value, Subtype.isbn, "")


def _check_digit(kind: str, value: str, subtype: Subtype, advice: str) -> list[Problem]:
    """python-stdnum's validation of an ISSN or ISBN, its reason in the message."""
    from stdnum import isbn, issn  # imported when an entry has one: stdnum is slow to load
    from stdnum.exceptions import ValidationError

    try:
        {"ISSN": issn, "ISBN": isbn}[kind].validate(value)
    except ValidationError as error:
        return [(subtype, f"{kind} {value!r} is not valid ({error}){advice}")]
    return []


def check_identifiers(citation: Citation, ctx: CheckContext) -> Iterator[Finding]:
    """All identifier fields the citation has."""
    checks = {
        "pmid": lambda v: check_pmid(v, ctx.pmid_max),
        "pmcid": check_pmcid,
        "doi": check_doi,
        "issn": check_issn,
        "isbn": check_isbn,
    }
    for name, check in checks.items():
        value = citation.get(name)
        if value:
            for subtype, message in check(value):
                yield finding(citation, name, subtype, message)
