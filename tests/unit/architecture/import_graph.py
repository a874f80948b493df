"""The import graph of Ordergate's product code, read from the source with :mod:`ast`.

Every ``import`` and ``from ... import`` counts: at module level, inside a function, and under
``if TYPE_CHECKING:`` (an import only the type checker runs is still a dependency, and a cycle
hidden behind it is still a cycle). ``from package import name`` is an edge to
``package.name`` when that is a module of ours, else to ``package`` (its ``__init__``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ImportGraph", "Imported", "read_graph", "strongly_connected"]

ROOT = Path(__file__).resolve().parents[3]
#: the top-level packages of product code (tests, bench and deploy scripts are not product)
PRODUCT_PACKAGES = ("gateway", "ordergate", "subgraphs", "webui", "wire", "worker")
_EXCLUDED_PARTS = frozenset({"migrations", "__pycache__"})


@dataclass(frozen=True, slots=True)
class Imported:
    """One import statement's target as written (absolute), and where it is."""

    target: str
    line: int


@dataclass(slots=True)
class ImportGraph:
    """Module name -> the imports it makes; ``modules`` are ours."""

    modules: dict[str, Path] = field(default_factory=dict)
    imports: dict[str, list[Imported]] = field(default_factory=dict)

    def internal_edges(self, module: str) -> set[str]:
        """The modules of ours that ``module`` imports."""
        return {
            resolved
            for imported in self.imports.get(module, [])
            if (resolved := self.resolve(imported.target)) is not None
        }

    def resolve(self, target: str) -> str | None:
        """The module of ours ``target`` names (longest known prefix), or ``None``."""
        parts = target.split(".")
        for end in range(len(parts), 0, -1):
            name = ".".join(parts[:end])
            if name in self.modules:
                return name
        return None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(node: ast.AST, module: str, is_package: bool, known: set[str]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base] if base else package)
        for alias in node.names:
            candidate = f"{base}.{alias.name}"
            yield candidate if candidate in known else base


def read_graph(packages: Iterable[str] = PRODUCT_PACKAGES) -> ImportGraph:
    """The import graph of ``packages`` under the repository root."""
    graph = ImportGraph()
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if _EXCLUDED_PARTS.intersection(path.relative_to(ROOT).parts):
                continue
            graph.modules[_module_name(path)] = path
    known = set(graph.modules)
    for module, path in graph.modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        graph.imports[module] = [
            Imported(target, getattr(node, "lineno", 0))
            for node in ast.walk(tree)
            for target in _targets(node, module, is_package, known)
        ]
    return graph


def strongly_connected(graph: ImportGraph) -> list[list[str]]:
    """The import cycles: strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph.internal_edges(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            advanced = False
            for target in edges:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.internal_edges(target)))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return sorted(components)
