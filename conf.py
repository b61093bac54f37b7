"""Sphinx configuration of the SCLERO topic site (sources in docs/, extensions in extensions/)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT / "extensions"))

# sphinxext-opengraph prints a notice about matplotlib when imported; social cards are off
# (below), so the notice is noise on every build. Imported once here, quietly.
with contextlib.redirect_stdout(io.StringIO()):
    import sphinxext.opengraph  # noqa: F401

project = "SCLERO topics"
author = "International Scleroderma Network contributors"
copyright = "2002-2021 International Scleroderma Network; 2026 the SCLERO topics contributors"  # noqa: A001

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxext.opengraph",
    "notfound.extension",
    "sclero",
]

# Where the site is hosted: Read the Docs says so itself; the Pages workflow sets SITE_URL.
# The local default keeps sitemap and OpenGraph URLs valid for `python -m http.server`.
SITE_URL = os.environ.get("READTHEDOCS_CANONICAL_URL") or os.environ.get(
    "SITE_URL", "http://127.0.0.1:8000/"
)

root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
source_suffix = {".md": "markdown"}

# MyST: front matter becomes page metadata; only http(s)/mailto are external links, so
# a javascript: link is treated as an (unresolvable) internal reference, never a link.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_url_schemes = ["http", "https", "mailto"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "SCLERO topics"
html_static_path = ["docs/_static"]
html_css_files = ["sclero.css"]
html_favicon = "docs/_static/favicon.svg"
html_show_sourcelink = False
# The Markdown sources are not published: readers have the pages, editors the repository.
html_copy_source = False
html_theme_options = {
    "navigation_with_keys": True,
}
# sitemap.xml is written by the sclero extension from every page (sclero/sitemap.py).
html_baseurl = SITE_URL
ogp_site_url = SITE_URL
ogp_site_name = "SCLERO topics"
ogp_enable_meta_description = True
# Social cards need matplotlib and fonts; a text site does not need generated images.
ogp_social_cards = {"enable": False}
notfound_urls_prefix = urlsplit(SITE_URL).path or "/"
notfound_context = {
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1><p>This address is not a page of SCLERO topics. Topic pages "
        "moved from sclero.org keep their names under <code>topics/</code>; try the search "
        "box or the home page.</p>"
    ),
}
nitpicky = True

# Link checking: offline by default (make html); make check and make linkcheck set the mode.
# The contact in the user agent tells a site's operator who is knocking and why.
sclero_linkcheck_contact = SITE_URL + "contributing.html"
# "Report a problem with this page" opens an issue in the repository the site is built from,
# when the build knows it (GitHub Actions says so); the other disclosures (sclero_publisher,
# sclero_funding, sclero_advertising) are the editors' to state: unset, pages say so.
sclero_repository = (
    f"https://github.com/{os.environ['GITHUB_REPOSITORY']}"
    if os.environ.get("GITHUB_REPOSITORY")
    else ""
)
