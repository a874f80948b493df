"""The supergraph model and its readers import in one direction.

Imports are read from the source (those inside functions too): no cycle among the modules of
``gateway.supergraph``, ``gateway.authz`` and ``gateway.limits``; the ``@link`` reader and the
API schema derivation (``gateway.composition``) import nothing of the gateway's runtime.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]
PACKAGES = ("gateway/supergraph", "gateway/authz", "gateway/limits")
PURE = ("gateway/composition/links.py", "gateway/composition/api_schema.py")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    files = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]
    modules = {_module(path): path for path in files}
    return {name: _imports(path) & modules.keys() - {name} for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        stack.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[name] = 2
        return None

    for name in sorted(graph):
        if name not in state and (found := visit(name)):
            return found
    return None


def test_the_model_and_its_readers_have_no_import_cycle() -> None:
    graph = _graph()
    assert "gateway.limits.cost_model" in graph
    assert _cycle(graph) is None


def test_the_cost_model_does_not_import_its_builder() -> None:
    assert "gateway.limits.model_builder" not in _graph()["gateway.limits.cost_model"]


@pytest.mark.parametrize("path", PURE)
def test_the_link_reader_and_api_schema_are_pure(path: str) -> None:
    gateway_imports = {name for name in _imports(ROOT / path) if name.startswith("gateway")}
    assert gateway_imports, "expected some imports of composition modules"
    outside = {
        name
        for name in gateway_imports
        if name != "gateway.composition" and not name.startswith("gateway.composition.")
    }
    assert outside == set()
