"""PMID, PMCID and DOI syntax (CS1's rules), and ISSN/ISBN check digits (python-stdnum)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import isbn, issn
from stdnum.exceptions import ValidationError

from ..links import DOI_SHAPE
from ..records import Citation, Finding
from ..subtypes import Subtype
from .context import CheckContext, finding

Problem = tuple[Subtype, str]

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def check_pmid(value: str, ceiling: int) -> list[Problem]:
    """A PMID is digits only, from 1 to ``ceiling``."""
    if not value.isascii() or not value.isdigit():
        digits = re.sub(r"[^0-9]", "", value)
        hint = (
            f"; did you mean {int(digits)}?"
            if 0 < len(digits) <= 12 and 0 < int(digits) <= ceiling
            else ""
        )
        return [(Subtype.pmid, f"PMID {value!r} must be digits only{hint}")]
    # Long digit strings would exceed int()'s conversion limit; no PMID has 13 digits.
    number = int(value) if len(value) <= 12 else ceiling + 1
    if not 1 <= number <= ceiling:
        return [(Subtype.pmid, f"PMID {value} is outside 1..{ceiling}")]
    if value != str(number):
        return [(Subtype.pmid, f"PMID {value} has leading zeros; did you mean {number}?")]
    return []


def check_pmcid(value: str) -> list[Problem]:
    """A PMCID is ``PMC`` followed by digits."""
    if re.fullmatch(r"PMC[1-9]\d*", value):
        return []
    digits = re.sub(r"[^0-9]", "", value)
    hint = f"; did you mean PMC{int(digits)}?" if 0 < len(digits) <= 12 and int(digits) > 0 else ""
    return [(Subtype.pmcid, f"PMCID {value!r} is not PMC followed by digits{hint}")]


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
    if any(ch.isspace() for ch in value):
        fixed = "".join(value.split())
        return [(Subtype.doi, f"DOI {value!r} contains white space; did you mean {fixed}?")]
    if value.endswith((".", ",", ";", ":")):
        fixed = value.rstrip(".,;:")
        return [
            (
                Subtype.doi,
                f"DOI ends with {value[-1]!r}; DOIs never end with punctuation: did you mean "
                f"{fixed}?",
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
    try:
        issn.validate(value)
    except ValidationError as error:
        digits = issn.compact(value)
        hint = ""
        if len(digits) == 8 and digits[:7].isdigit():
            hint = (
                f"; with this number the check digit would be {issn.calc_check_digit(digits[:7])}"
            )
        return [(Subtype.issn, f"ISSN {value!r} is not valid ({error}){hint}")]
    return []


def check_isbn(value: str) -> list[Problem]:
    """An ISBN-10 or ISBN-13 with a correct check digit."""
    try:
        isbn.validate(value)
    except ValidationError as error:
        return [(Subtype.isbn, f"ISBN {value!r} is not valid ({error})")]
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
