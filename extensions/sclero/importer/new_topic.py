"""``make new-topic SLUG=celiac-disease TITLE="Celiac Disease"``: a new topic page to fill in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model.topics import TOPIC_PREFIX, slug_problem

TEMPLATE = """---
aliases: {title}
---

% When a clinician has reviewed the page, add to the front matter:
% reviewed: YYYY-MM-DD and reviewed-by: Name (role). Until then the page says
% "Not yet medically reviewed".

# {title}

One or two paragraphs introducing the topic, in the site's own words.

## Research

```{{citation}} Title of the article, as on its PubMed page, without the final full stop
:outlet: PubMed
:journal: NLM abbreviation, e.g. Osteoporos Int
:date: 2024-05
:pmid: digits from the PubMed page

One sentence on what the study found.
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
    path.write_text(TEMPLATE.format(title=args.title.strip()), encoding="utf-8")
    sys.stderr.write(
        f"wrote {path}; replace the example citation, then add a card to docs/index.md\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
