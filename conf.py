"""Sphinx configuration of the SCLERO topic site (sources in docs/, extensions in extensions/)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT / "extensions"))

project = "SCLERO topics"
author = "International Scleroderma Network contributors"
copyright = "2002-2021 International Scleroderma Network; 2026 the SCLERO topics contributors"  # noqa: A001

extensions = ["myst_parser", "sphinx_design", "sclero"]

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
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": True,
}
nitpicky = True
