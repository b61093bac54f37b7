"""Contributor text cannot run script in a reader's browser."""

from __future__ import annotations

from bs4 import BeautifulSoup

from .conftest import BuildPages, citation
from .test_rules import fields, page


def scripts_and_handlers(html: str) -> list[str]:
    """Every script element and on* attribute in the page body's content."""
    soup = BeautifulSoup(html, "html.parser")
    body = soup.select_one(".body") or soup
    found = [str(s) for s in body.find_all("script")]
    for tag in body.find_all(True):
        found += [f"{tag.name}[{k}]" for k in tag.attrs if k.lower().startswith("on")]
        for attr in ("href", "src"):
            if str(tag.get(attr, "")).strip().lower().startswith(("javascript:", "data:")):
                found.append(f"{tag.name}[{attr}]={tag[attr]}")
    return found


def test_raw_html_is_removed_and_reported(build_pages: BuildPages) -> None:
    text = "# Page\n\n<script>alert(1)</script>\n\nInline <img src=x onerror=alert(1)> here.\n"
    built = build_pages({"index": text})
    assert built.warnings == [
        "index.md:3: WARNING: raw HTML is not allowed in pages and was removed; write Markdown "
        "instead [sclero.raw_html]",
        "index.md:5: WARNING: raw HTML is not allowed in pages and was removed; write Markdown "
        "instead [sclero.raw_html]",
    ]
    assert scripts_and_handlers(built.html()) == []
    assert "alert(1)" not in built.html()


def test_hostile_citation_text_is_escaped(build_pages: BuildPages) -> None:
    hostile = citation(
        'Bone "study" <script>alert(1)</script> & more',
        body="Summary with <b onmouseover=alert(1)>bold</b> text.",
        **fields(
            journal='Chest"><script>alert(2)</script>',
            url="javascript:alert(3)",
            doi='10.1016/x"><script>alert(4)</script>',
        ),
    )
    built = build_pages({"index": page(hostile)}, conf="suppress_warnings = ['sclero']")
    html = built.html()
    assert scripts_and_handlers(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The unsafe URL is never linked; the DOI's quote and brackets are percent-encoded.
    assert "javascript:" not in html.lower()
    assert 'href="https://doi.org/10.1016/x%22%3E%3Cscript%3Ealert(4)%3C/script%3E"' in html


def test_unsafe_scheme_in_rst_link_is_unlinked(build_pages: BuildPages) -> None:
    text = "# Page\n\n```{eval-rst}\n`click <javascript:alert(1)>`_\n```\n"
    built = build_pages({"index": text})
    assert built.warnings == [
        "index.md:4: WARNING: link to 'javascript:alert(1)' uses 'javascript'; only http, "
        "https and mailto are linked [sclero.unsafe_url]"
    ]
    assert scripts_and_handlers(built.html()) == []
    assert "click" in built.html()


def test_javascript_markdown_link_is_not_a_link(build_pages: BuildPages) -> None:
    """markdown-it refuses javascript: destinations: the text stays literal, unlinked."""
    built = build_pages({"index": "# Page\n\n[click](javascript:alert(1))\n"})
    assert scripts_and_handlers(built.html()) == []
    assert "<p>[click](javascript:alert(1))</p>" in built.html()
    assert built.warnings == []
