"""The peers, each run as its documentation tells a careful user, with the same politeness.

Every peer skips the identifier links (PubMed and doi.org): only we verify those, at the
registries' stand-ins. Options and where they are documented:

- Sphinx 9.0 ``linkcheck`` builder (https://www.sphinx-doc.org/en/master/usage/configuration.html
  #options-for-the-linkcheck-builder): ``linkcheck_ignore`` is matched with ``re.match`` from
  the start of the URL (sphinx/builders/linkcheck.py), so each pattern starts with the scheme.
  Defaults: ``linkcheck_workers`` 5, ``linkcheck_timeout`` 30 s, ``linkcheck_retries`` 1.
  The tuned run uses 8 workers and our 5 s timeout. Sphinx has no per-host rate limit; it
  only backs off when a server answers 429 (``linkcheck_rate_limit_timeout``).
- lychee 0.24 (``lychee --help``; https://lychee.cli.rs/): ``--host-request-interval 200ms``
  and ``--host-concurrency 2`` are our per-host profile (5 requests/s, 2 at once); retries
  stay at the default (``--max-retries`` 3); ``--timeout 5`` as ours; ``-v`` lists successes.
- LinkChecker 10.6 (linkcheckerrc(5)): ``[checking] maxrequestspersecond=5`` (our rate),
  ``timeout=5``; ``[filtering] checkextern=1`` (without it external links are only
  syntax-checked) and ``ignore=`` for the identifier links; an empty ``[MarkdownCheck]``
  section enables the Markdown plugin, which reports each link's source line and column.
  Run as root, LinkChecker drops to the user nobody, so its input must be world-readable and
  its CSV goes to standard output.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
IDENTIFIER_PREFIXES = ("https://pubmed.ncbi.nlm.nih.gov/", "https://doi.org/")


def sphinx_build(builder: str, site: Path, out: Path, *options: str) -> list[str]:
    """``sphinx-build`` of ``site`` into ``out`` (doctrees beside it), quiet."""
    return [str(BIN / "python"), "-m", "sphinx", "-b", builder, "-q", "-c", str(site),
            "-d", str(out.parent / f"{out.name}-doctrees"), *options, str(site / "docs"),
            str(out)]  # fmt: skip


def sphinx_linkcheck(site: Path, out: Path, tuned: bool) -> list[str]:
    """Sphinx's linkcheck builder on the plain site."""
    ignore = ",".join(p.replace(".", r"\.") for p in IDENTIFIER_PREFIXES)
    options = ["-D", f"linkcheck_ignore={ignore}"]
    if tuned:
        options += ["-D", "linkcheck_workers=8", "-D", "linkcheck_timeout=5"]
    return sphinx_build("linkcheck", site, out, *options)


def lychee(sources: list[Path]) -> list[str]:
    """lychee on the plain site's Markdown, JSON on standard output."""
    excludes = [arg for p in IDENTIFIER_PREFIXES for arg in ("--exclude", "^" + p)]
    return [
        str(BIN / "lychee"),
        "--format",
        "json",
        "--no-progress",
        "-v",
        "--host-request-interval",
        "200ms",
        "--host-concurrency",
        "2",
        "--timeout",
        "5",
        *excludes,
        *map(str, sources),
    ]


def linkchecker_config(path: Path, markdown: bool) -> Path:
    """A linkcheckerrc with our rate, the identifier links ignored, Markdown if asked."""
    ignore = "\n".join("  ^" + p.replace(".", r"\.") for p in IDENTIFIER_PREFIXES)
    text = (
        "[checking]\nthreads=10\ntimeout=5\nmaxrequestspersecond=5\n"
        f"[filtering]\ncheckextern=1\nignore=\n{ignore}\n"
        "[output]\nverbose=1\n"
    )
    if markdown:
        text += "[MarkdownCheck]\n"
    path.write_text(text, encoding="utf-8")
    return path


def linkchecker(config: Path, inputs: list[Path]) -> list[str]:
    """LinkChecker with ``config``, CSV on standard output."""
    return [
        str(BIN / "linkchecker"),
        "-f",
        str(config),
        "--no-status",
        "-o",
        "csv",
        *map(str, inputs),
    ]


def readable(root: Path) -> None:
    """Let the user nobody read ``root`` (LinkChecker drops to it when run as root)."""
    for path in [root, *root.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
