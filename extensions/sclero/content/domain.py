"""The ``sclero`` domain: every citation, topic and topic reference, keyed by docname."""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.util import docname_join
from sphinx.util.nodes import make_refnode

from ..checks.across import WorkKey, first_per_place, update_conflicts
from ..model.packed import Packed
from ..model.records import Citation, Finding, Topic, TopicRef
from ..model.topics import TopicIndex, split_aliases
from .state import BuildState

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

# Keys of ``Domain.data`` whose values are ``{docname: ...}``; clear/merge treat them alike.
_PER_DOC_KEYS = (
    "citations", "topics", "topic_refs", "findings", "listings", "links", "cards",
    "work_keys", "tallies",
)  # fmt: skip
# Keys of what was last written into each page, for pages whose output must be rewritten.
_RENDERED_KEYS = ("rendered_backlinks", "rendered_verification")
# Keys of what is derived from a page and its verification after reading, kept until it is read.
_DERIVED_KEYS = ("evidence",)


def sclero_domain(env: BuildEnvironment) -> ScleroDomain:
    """The ``sclero`` domain of ``env`` (one typed accessor instead of a cast at each use)."""
    domain = env.domains["sclero"]
    assert isinstance(domain, ScleroDomain)
    return domain


def is_topic(docname: str, config: Config) -> bool:
    """Whether ``docname`` is a topic page (it lives under ``sclero_topic_prefix``)."""
    prefix: str = config.sclero_topic_prefix
    return docname.startswith(prefix)


def topic_slug(docname: str, config: Config) -> str:
    """The stable slug of a topic page: its docname without the topic folder."""
    prefix: str = config.sclero_topic_prefix
    return docname.removeprefix(prefix)


class ScleroDomain(Domain):
    """Holds what pages declare (citations, topics) and refer to (topic references)."""

    name = "sclero"
    label = "SCLERO topics and citations"
    object_types = {"topic": ObjType("topic", "topic")}  # noqa: RUF012 (Sphinx's own shape)
    # Bump when the shape or meaning of a record changes (a kept verification too: the
    # memo's settings token includes it), so old environments and verdicts are made again.
    data_version = 15
    # Derived from data["topics"]; rebuilt lazily after any change, never pickled state.
    _topic_index_cache: TopicIndex | None = None
    initial_data = {  # noqa: RUF012 (Sphinx deep-copies it per environment)
        "citations": {},  # docname -> Packed[Citation] (a list, pickled as one bytes object)
        "topics": {},  # docname -> Topic
        "topic_refs": {},  # docname -> list[TopicRef]
        "findings": {},  # docname -> list[Finding] (per-citation checks, made while reading)
        "listings": {},  # docname -> True for pages with generated site-wide lists
        "links": {},  # docname -> Packed[Keyed] (every external link, its line and target)
        "rendered_backlinks": {},  # target docname -> backlinks last written into its page
        # docname -> the digest of the verification last written into its page
        "rendered_verification": {},
        "cards": {},  # the home page -> the pages its cards link (sphinx-design, link-type doc)
        "work_keys": {},  # docname -> the identifier keys of its entries (checks/across.py)
        "tallies": {},  # docname -> PageTally (the report's counts)
        "evidence": {},  # docname -> Evidence, counted after verification (readers/evidence.py)
        # Works cited with different facts on different pages, by work key: only the works
        # of pages read again are compared again (checks/across.update_conflicts).
        "conflicts": {},
    }

    def __init__(self, env: BuildEnvironment) -> None:
        """Set up the domain and this build's (unpickled) state."""
        super().__init__(env)
        self.build = BuildState()

    # -- per-document bookkeeping -------------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        """Forget everything ``docname`` declared (it is being re-read or was removed)."""
        # Its works are compared again, as they were and as they will be.
        self.build.read.works_changed.update(self.data["work_keys"].get(docname, ()))
        for key in (*_PER_DOC_KEYS, *_RENDERED_KEYS, *_DERIVED_KEYS):
            self.data[key].pop(docname, None)
        self._topic_index_cache = None

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Copy in what a parallel reader gathered, for exactly the docnames it read."""
        for key in _PER_DOC_KEYS:
            for docname, value in otherdata[key].items():
                if docname in docnames:
                    self.data[key][docname] = value
        self._topic_index_cache = None

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Register ``docname`` as a topic, or the home page's cards, as it is read."""
        if docname == env.config.root_doc:
            self.data["cards"][docname] = sorted(
                docname_join(docname, xref["reftarget"])
                for card in document.findall(nodes.container)
                if "sd-card" in card["classes"]
                for xref in card.findall(addnodes.pending_xref)
                if xref.get("reftype") == "doc"
            )
        if not is_topic(docname, env.config):
            return
        title = next(iter(document.findall(nodes.title)), None)
        self.data["topics"][docname] = Topic(
            docname=docname,
            slug=topic_slug(docname, env.config),
            title=title.astext() if title is not None else docname,
            aliases=split_aliases(env.metadata[docname].get("aliases", ())),
        )
        self._topic_index_cache = None

    # -- recording, called from directives and roles while reading ----------------------

    def add_citation(self, citation: Citation, findings: Iterable[Finding]) -> None:
        """Record a citation and the findings its own checks made."""
        self.data["citations"].setdefault(citation.docname, Packed()).append(citation)
        self.data["findings"].setdefault(citation.docname, []).extend(findings)

    def add_finding(self, finding: Finding) -> None:
        """Record a finding that belongs to no citation (raw HTML, an unsafe link)."""
        self.data["findings"].setdefault(finding.docname, []).append(finding)

    def add_topic_ref(self, ref: TopicRef) -> None:
        """Record that a page refers to a topic (for backlinks and the unknown-topic check)."""
        self.data["topic_refs"].setdefault(ref.docname, []).append(ref)

    # -- queries --------------------------------------------------------------------------

    @property
    def citations(self) -> dict[str, Packed[Citation]]:
        """Citations by docname."""
        value: dict[str, Packed[Citation]] = self.data["citations"]
        return value

    @property
    def topics(self) -> dict[str, Topic]:
        """Topic pages by docname."""
        value: dict[str, Topic] = self.data["topics"]
        return value

    @property
    def topic_refs(self) -> dict[str, list[TopicRef]]:
        """Topic references by the docname they are written in."""
        value: dict[str, list[TopicRef]] = self.data["topic_refs"]
        return value

    def cards(self, home: str) -> list[str] | None:
        """The pages the cards of ``home`` link, or None when the home page was not read."""
        value: dict[str, list[str]] = self.data["cards"]
        return value.get(home)

    @property
    def findings(self) -> dict[str, list[Finding]]:
        """Findings made while reading, by docname."""
        value: dict[str, list[Finding]] = self.data["findings"]
        return value

    @property
    def topic_index(self) -> TopicIndex:
        """Every topic by slug and alias (built lazily, dropped on every change)."""
        # Resolving 20,000 references must not rescan every topic each time.
        if self._topic_index_cache is None:
            self._topic_index_cache = TopicIndex(self.topics.values())
        return self._topic_index_cache

    def find_topic(self, name: str) -> Topic | None:
        """The topic whose slug or alias is ``name`` (case and spacing ignored), or None."""
        return self.topic_index.find(name)

    def compare_works(self) -> None:
        """Compare again the works of pages read this build, or forgotten (env-updated).

        The others' findings are kept from earlier builds. Done before Sphinx pickles the
        environment, which it does after env-updated and before the build finishes.
        """
        page_keys: dict[str, tuple[WorkKey, ...]] = self.data["work_keys"]
        read = self.build.read
        changed = read.works_changed | {k for d in read.pages_read for k in page_keys.get(d, ())}
        update_conflicts(self.data["conflicts"], changed, page_keys, self.citations)

    def conflicts(self) -> list[Finding]:
        """Works cited with different facts on different pages (as ``compare_works`` left them)."""
        return first_per_place(self.data["conflicts"])

    def backlinks(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """For each topic docname, the (docname, title) of every other page that refers to it."""
        sources: dict[str, set[str]] = {}
        # Thousands of references name a few hundred topics: each name is looked up once.
        found: dict[str, Topic | None] = {}
        for docname, refs in self.topic_refs.items():
            for ref in refs:
                if ref.target not in found:
                    found[ref.target] = self.find_topic(ref.target)
                topic = found[ref.target]
                if topic is not None and topic.docname != docname:
                    sources.setdefault(topic.docname, set()).add(docname)
        titles = self.env.titles
        # Each page's title as text once, not once for every topic it links.
        title_of = {
            src: titles[src].astext() if src in titles else src
            for srcs in sources.values()
            for src in srcs
        }
        return {
            target: tuple(
                sorted(
                    ((src, title_of[src]) for src in srcs),
                    key=lambda pair: (pair[1].lower(), pair[0]),
                )
            )
            for target, srcs in sources.items()
        }

    # -- cross-reference resolution -----------------------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        """Link a ``topic`` reference to its page, titled by the page unless text was given."""
        topic = self.find_topic(target)
        if topic is None:
            # Unknown topics are reported once per build by checks/across.py, with the
            # closest names; here the text stays as written, unlinked.
            return None
        if not node.get("refexplicit"):
            contnode = nodes.inline(topic.title, topic.title, classes=contnode["classes"])
        return make_refnode(builder, fromdocname, topic.docname, "", contnode, topic.title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        """Resolve MyST's ``[text](#slug)`` and ``{any}`` references to topics too."""
        refnode = self.resolve_xref(env, fromdocname, builder, "topic", target, node, contnode)
        return [] if refnode is None else [("sclero:topic", refnode)]

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        """Topics, for the search index and intersphinx."""
        for topic in self.topics.values():
            yield topic.slug, topic.title, "topic", topic.docname, "", 1
