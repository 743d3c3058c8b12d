"""The package layout: every module imports, imports flow one way, and registries are complete."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import amrgnn

ROOT = Path(amrgnn.__file__).parent
#: graph -> nn -> models -> data -> viz -> tasks -> cli: a layer may import only layers before it
LAYERS = ["graph", "nn", "models", "data", "viz", "tasks", "cli"]
SHARED = {"errors", "registry", "options", "stats", "utils"}  # below every layer
MODULES = sorted(m.name for m in pkgutil.walk_packages([str(ROOT)], "amrgnn.") if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_every_module_imports(name):
    importlib.import_module(name)


def _imported(path: Path) -> set[str]:
    """Top-level amrgnn sub-packages a module imports (relative or absolute)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = path.relative_to(ROOT).with_suffix("").parts
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(parts[: len(parts) - node.level])
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.startswith("amrgnn."):
                target = node.module.split(".")[1:]
            else:
                continue
            if target:
                out.add(target[0])
    return out


def test_imports_flow_one_way():
    bad = []
    for path in ROOT.rglob("*.py"):
        own = path.relative_to(ROOT).parts[0]
        if own not in LAYERS:
            continue
        for dep in _imported(path) - SHARED - {own}:
            if dep in LAYERS and LAYERS.index(dep) > LAYERS.index(own):
                bad.append(f"{path.relative_to(ROOT)} imports {dep}")
    assert not bad, bad


def test_registries_list_what_they_build():
    from amrgnn.data.events import EVENT_FORMATS
    from amrgnn.data.graphs import GRAPH_SOURCES
    from amrgnn.nn import LAYERS as LAYER_REGISTRY
    from amrgnn.tasks.protocols.continual import CONTINUAL_METHODS

    assert EVENT_FORMATS.names() == ("oneie", "nlpcl", "phee")
    assert GRAPH_SOURCES.names() == ("none", "penman", "amrlib", "predicted", "tokengraph")
    assert CONTINUAL_METHODS.names() == ("finetune", "replay", "replay-kd", "joint")
    assert LAYER_REGISTRY.names() == ("multiscale", "powers", "gcn", "rgcn", "gat")
    for registry in (EVENT_FORMATS, GRAPH_SOURCES, CONTINUAL_METHODS, LAYER_REGISTRY):
        for name in registry:
            assert callable(registry.get(name))
    assert CONTINUAL_METHODS.get("replay-kd")().name == "replay-kd"


def test_a_new_format_is_one_registration(tmp_path):
    """A reader registered from outside the package is read by read_events and offered by the CLI."""
    from amrgnn.cli import build_parser
    from amrgnn.data.events import EVENT_FORMATS, EventReadStats, Sentence, read_events

    @EVENT_FORMATS.register("wordlist")
    def read_wordlist(path, *, skip_invalid=False, stats=None, predictions=False):
        stats = stats if stats is not None else EventReadStats()
        for i, line in enumerate(Path(path).read_text().splitlines(), 1):
            stats.records += 1
            stats.sentences += 1
            yield Sentence(f"w{i}", line.split(), path=str(path), line=i)

    try:
        f = tmp_path / "x.txt"
        f.write_text("a b\nc\n")
        assert [s.tokens for s in read_events(f, "wordlist")] == [["a", "b"], ["c"]]
        args = build_parser().parse_args(["train-ee", "--train", "a", "--dev", "b", "--output-dir", "o", "--format", "wordlist"])
        assert args.format == "wordlist"
    finally:
        EVENT_FORMATS._entries.pop("wordlist")
