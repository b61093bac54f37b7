"""Run one Sphinx build with our internal-link work timed; prints JSON {build, internal}."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

spent = [0.0]


def timed(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add the wrapped function's wall time to ``spent``."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    return wrapper


def main() -> int:
    """Patch the internal-link functions, build with the given sphinx-build arguments."""
    import sclero.checks.across
    import sclero.content.domain
    import sclero.linkcheck
    import sclero.readers.setup
    from sphinx.cmd.build import build_main

    # What internal link checking costs us: topic resolution and checks, backlinks, and the
    # collection of every link's occurrence (which the external check then reads). Each
    # part's setup looks these names up in its own module when Sphinx calls it, after this.
    linkcheck, readers = sclero.linkcheck, sclero.readers.setup
    linkcheck.collect_links = timed(linkcheck.collect_links)  # type: ignore[attr-defined]
    readers.pages_to_rewrite = timed(readers.pages_to_rewrite)  # type: ignore[attr-defined]
    readers.render_backlinks = timed(readers.render_backlinks)  # type: ignore[attr-defined]
    sclero.checks.across.check_topic_refs = timed(sclero.checks.across.check_topic_refs)
    domain = sclero.content.domain.ScleroDomain
    domain.resolve_xref = timed(domain.resolve_xref)  # type: ignore[method-assign]
    start = time.perf_counter()
    code = build_main(sys.argv[1:])
    total = time.perf_counter() - start
    sys.stdout.write(json.dumps({"build": total, "internal": spent[0], "code": code}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
