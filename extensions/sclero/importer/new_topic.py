"""``make new-topic SLUG=celiac-disease TITLE="Celiac Disease"``: a new topic page to fill in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model.template import (
    CITATION_JOURNAL,
    CITATION_PMID,
    CITATION_SUMMARY,
    CITATION_TITLE,
    TOPIC_INTRO,
)
from ..model.topics import TOPIC_PREFIX, slug_problem

TEMPLATE = """---
aliases: {title}
---

% When a clinician has reviewed the page, add to the front matter:
% reviewed: YYYY-MM-DD and reviewed-by: Name (role). Until then the page says
% "Not yet medically reviewed".

# {title}

{intro}

## Research

```{{citation}} {citation_title}
:outlet: PubMed
:journal: {journal}
:date: 2024-05
:pmid: {pmid}

{summary}
```
"""


def main(argv: list[str] | None = None) -> int:
    """Write ``docs/topics/<slug>.md``; refuse to overwrite or to take a malformed slug."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("slug")
    parser.add_argument("title")
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    if problem := slug_problem(args.slug):
        sys.stderr.write(problem + "\n")
        return 2
    path = args.docs / TOPIC_PREFIX / f"{args.slug}.md"
    if path.exists():
        sys.stderr.write(f"{path} exists already\n")
        return 2
    text = TEMPLATE.format(
        title=args.title.strip(),
        intro=TOPIC_INTRO,
        citation_title=CITATION_TITLE,
        journal=CITATION_JOURNAL,
        pmid=CITATION_PMID,
        summary=CITATION_SUMMARY,
    )
    path.write_text(text, encoding="utf-8")
    sys.stderr.write(
        f"wrote {path}; replace the example citation, then add a card to docs/index.md\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
