"""Shared fixtures: Sphinx's testing fixtures, test roots, and a builder of one-off projects."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

REPO = Path(__file__).parent.parent
sys.path.insert(0, str(REPO / "extensions"))

pytest_plugins = ("sphinx.testing.fixtures",)

# Tests read Sphinx's messages as text, in this process and in the builds they start. A CI
# runner that sets FORCE_COLOR would wrap each line in escape codes; NO_COLOR wins over it.
os.environ["NO_COLOR"] = "1"

# Every one-off project: our extensions, a fixed "today" so date rules are reproducible.
BASE_CONF = """
extensions = ["myst_parser", "sclero"]
myst_enable_extensions = ["colon_fence"]
myst_url_schemes = ["http", "https", "mailto"]
sclero_today = "2026-11-24"
# What a test site discloses (its pages state it; unset, each build would note it).
sclero_publisher = "The test suite"
sclero_funding = "none"
sclero_advertising = "none"
sclero_repository = "https://github.com/example/tests"
# Offline builds list every new link and identifier as unchecked; tests of other rules ignore
# that.
# Most tests put their citations in index.md, which is not a topic page; the placement rule has
# its own test.
suppress_warnings = ["sclero.link_unchecked", "sclero.unverified", "sclero.placement"]
"""


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where the ``testroot=`` projects live."""
    return Path(__file__).parent / "roots"


@dataclass
class Built:
    """A finished build: the app, its warnings with the source directory stripped, its status."""

    app: SphinxTestApp
    warnings: list[str]
    status: str

    def html(self, docname: str = "index") -> str:
        """The written HTML of ``docname``."""
        return (Path(self.app.outdir) / f"{docname}.html").read_text(encoding="utf-8")

    def notes(self, rule: str) -> list[str]:
        """The build's status lines of one rule (``review_due``), as printed."""
        return [line for line in self.status.splitlines() if f"[sclero.{rule}]" in line]


def collect(app: SphinxTestApp) -> Built:
    """Warnings as ``index.md:12: WARNING: ...`` lines, relative to the source directory."""
    prefix = str(app.srcdir) + "/"
    text = strip_escape_sequences(app.warning.getvalue()).replace(prefix, "")
    warnings = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]
    status = strip_escape_sequences(app.status.getvalue()).replace(prefix, "")
    return Built(app, warnings, status)


BuildPages = Callable[..., Built]


@pytest.fixture
def build_pages(tmp_path: Path, make_app: Callable[..., SphinxTestApp]) -> BuildPages:
    """Write ``{docname: markdown}`` plus conf.py into a fresh project and build it."""

    def build(
        pages: dict[str, str],
        conf: str = "",
        srcdir: Path | None = None,
        **kwargs: Any,
    ) -> Built:
        src = srcdir or tmp_path / "src"
        src.mkdir(parents=True, exist_ok=True)
        (src / "conf.py").write_text(BASE_CONF + conf, encoding="utf-8")
        for docname, text in pages.items():
            path = src / f"{docname}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        app = make_app("html", srcdir=src, **kwargs)
        try:
            app.build()
        finally:
            # Unregister our nodes now, so a second build in the same test starts clean.
            app.cleanup()
        return collect(app)

    return build


def citation(
    title: str = "A study of bone density", body: str = "It found something.", **fields: str
) -> str:
    """A citation directive in MyST with ``fields`` as options (underscores become hyphens)."""
    options = "".join(f":{k.replace('_', '-')}: {v}\n" for k, v in fields.items())
    return f"```{{citation}} {title}\n{options}\n{body}\n```\n"


SCLERO_WARNING = re.compile(r"^(?P<loc>[^:]+:\d+): WARNING: (?P<msg>.*) \[sclero\.(?P<sub>\w+)\]$")


# The page tests' browser fixtures (one chromium per session), shared by every module.
from .browser import browser, page  # noqa: E402, F401
