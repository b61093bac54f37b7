"""Malformed directive options are reported at their own line, and the citation still renders."""

from __future__ import annotations

import pytest

from .conftest import BuildPages, citation
from .test_rules import fields, page

OPTION_CASES = [
    (
        {"kind": "book"},
        "index.md:11: WARNING: 'citation': Invalid option value for 'kind': book: 'book' is not "
        "a kind: write article, news, web [myst.directive_option]",
    ),
    (
        {"waive": "dates: not known"},
        "index.md:11: WARNING: 'citation': Invalid option value for 'waive': dates: not known: "
        "'dates' is not a rule name (see the contributor guide) [myst.directive_option]",
    ),
    (
        {"waive": "date"},
        "index.md:11: WARNING: 'citation': Invalid option value for 'waive': date: waiving "
        "'date' needs a reason: 'date: <why>' [myst.directive_option]",
    ),
    (
        {"id": "Bone Density"},
        "index.md:11: WARNING: 'citation': Invalid option value for 'id': Bone Density: "
        "'Bone Density' is not a valid anchor; did you mean 'bone-density'? "
        "[myst.directive_option]",
    ),
    (
        {"also_see": ","},
        "index.md:11: WARNING: 'citation': Invalid option value for 'also-see': ,: expected "
        "one or more topic names separated by commas [myst.directive_option]",
    ),
]


@pytest.mark.parametrize(("extra", "expected"), OPTION_CASES, ids=lambda c: str(c)[:30])
def test_bad_option_value_is_located_and_entry_kept(
    build_pages: BuildPages, extra: dict[str, str], expected: str
) -> None:
    built = build_pages({"index": page(citation(**fields(**extra)))})
    assert built.warnings == [expected]
    assert "A study of bone density" in built.html()


def test_unknown_option_is_located(build_pages: BuildPages) -> None:
    built = build_pages({"index": page(citation(**fields(journl="Chest")))})
    assert built.warnings == [
        "index.md:11: WARNING: 'citation': Unknown option key: 'journl' (allowed: ['also-see', "
        "'authors', 'date', 'doi', 'id', 'isbn', 'issn', 'issue', 'journal', 'kind', "
        "'legacy-also-see', 'legacy-date', 'legacy-journal', 'legacy-source', 'legacy-summary', "
        "'legacy-title', "
        "'outlet', 'pages', 'pmcid', 'pmid', 'url', 'volume', 'waive']) [myst.directive_option]"
    ]


def test_missing_title_is_located(build_pages: BuildPages) -> None:
    built = build_pages({"index": "# Page\n\n```{citation}\n:journal: Chest\n\nText.\n```\n"})
    assert built.warnings == [
        "index.md:3: ERROR: Directive 'citation': 1 argument(s) required, 0 supplied [docutils]"
    ]
