"""``sitemap.xml`` listing every page after every build, incremental ones included.

sphinx-sitemap collects the pages as they are written, so a build that rewrites three pages
wrote a sitemap of three; the environment knows every page, written this time or not.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:
    from sphinx.application import Sphinx

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """Write ``sitemap.xml`` from every page the environment holds (build-finished)."""
    base: str = app.config.html_baseurl
    if exception is not None or app.builder.format != "html" or not base:
        return
    base = base if base.endswith("/") else base + "/"
    urlset = ElementTree.Element("urlset", xmlns=NAMESPACE)
    for docname in sorted(app.env.found_docs):
        url = ElementTree.SubElement(urlset, "url")
        ElementTree.SubElement(url, "loc").text = base + app.builder.get_target_uri(docname)
    ElementTree.indent(urlset)
    text = ElementTree.tostring(urlset, encoding="unicode", xml_declaration=True)
    (Path(app.outdir) / "sitemap.xml").write_text(text + "\n", encoding="utf-8")
