"""The architecture the import contracts cannot see: where rules are emitted, the build's order."""

from __future__ import annotations

import ast
import re
import tempfile
from pathlib import Path

from sclero.model.rules import Subtype

PACKAGE = Path(__file__).parent.parent / "extensions" / "sclero"


def _named_subtypes(path: Path) -> list[tuple[ast.Attribute, bool]]:
    """Each ``Subtype.<member>`` in ``path``, and whether it is only compared with."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    compared: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                compared.update(id(n) for n in ast.walk(operand))
    return [
        (node, id(node) in compared)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Subtype"
        and node.attr in Subtype.__members__
    ]


def test_every_rule_is_emitted_from_checks() -> None:
    """Outside ``checks/`` a rule is only compared with; every rule is named in ``checks/``."""
    emitted: set[str] = set()
    outside: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        for node, only_compared in _named_subtypes(path):
            if relative.startswith("checks/"):
                emitted.add(node.attr)
            elif relative != "model/rules.py" and not only_compared:
                outside.append(f"{relative}:{node.lineno}: Subtype.{node.attr}")
    assert outside == []
    assert sorted(set(Subtype.__members__) - emitted) == []


def test_no_module_at_the_top_but_setup() -> None:
    """Every module lives in the folder of its layer."""
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py"]


def _registered() -> dict[str, list[tuple[int, str]]]:
    """The extension's handlers on a real Sphinx app: event -> (priority, handler), in order."""
    from sphinx.testing.util import SphinxTestApp

    registered: dict[str, list[tuple[int, str]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder)
        (source / "conf.py").write_text("extensions = ['myst_parser', 'sclero']\n")
        (source / "index.md").write_text("# Index\n")
        app = SphinxTestApp("html", srcdir=source)
        try:
            for event, listeners in app.events.listeners.items():
                for listener in sorted(listeners, key=lambda item: item.priority):
                    module = listener.handler.__module__
                    if module.startswith("sclero."):
                        name = f"{module.removeprefix('sclero.')}.{listener.handler.__qualname__}"
                        registered.setdefault(event, []).append((listener.priority, name))
        finally:
            app.cleanup()
    return registered


def test_the_guide_pipeline_table_is_the_registered_pipeline() -> None:
    """The contributor guide's table lists every handler, its priority and its order."""
    guide = (PACKAGE.parent.parent / "docs" / "contributing.md").read_text(encoding="utf-8")
    table = guide[guide.index("% pipeline-table") :]
    rows = re.findall(r"^\| `([a-z-]+)` \| (\d+) \| `([\w.]+)` \|", table, re.MULTILINE)
    documented: dict[str, list[tuple[int, str]]] = {}
    for event, priority, handler in rows:
        documented.setdefault(event, []).append((int(priority), handler))
    assert len(rows) > 20
    assert documented == _registered()
