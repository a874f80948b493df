"""The planner is a pure layer: no runtime imports, no import cycles, small modules.

Read from the source (AST), so the check holds for imports inside functions too.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import gateway.planning

PACKAGE = Path(gateway.planning.__file__).parent
#: what planning may import beyond itself and the standard library
ALLOWED_THIRD_PARTY = {"graphql"}
ALLOWED_GATEWAY = ("gateway.planning", "gateway.supergraph.model")
MAX_LINES = 250


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _module(path: Path) -> str:
    return "gateway.planning" + ("" if path.stem == "__init__" else f".{path.stem}")


MODULES = {_module(p): _imports(p) for p in sorted(PACKAGE.glob("*.py"))}


def test_planning_imports_only_itself_the_supergraph_model_graphql_and_the_stdlib() -> None:
    bad: list[str] = []
    for module, imports in MODULES.items():
        for name in imports:
            top = name.split(".")[0]
            if top == "gateway":
                if not name.startswith(ALLOWED_GATEWAY):
                    bad.append(f"{module} imports {name}")
            elif top not in ALLOWED_THIRD_PARTY and top not in sys.stdlib_module_names:
                bad.append(f"{module} imports {name}")
    assert bad == []


def test_planning_modules_import_no_cycle() -> None:
    edges = {
        module: {name for name in imports if name in MODULES and name != module}
        for module, imports in MODULES.items()
    }
    # the package's __init__ re-exports; the modules never import the package itself
    assert not any("gateway.planning" in targets for targets in edges.values())
    state: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges[module]):
            if state.get(target) == "open":
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_planning_modules_stay_small() -> None:
    sizes = {p.name: len(p.read_text().splitlines()) for p in PACKAGE.glob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
