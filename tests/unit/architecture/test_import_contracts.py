"""The architecture's import rules, checked on the source (docs/architecture.md, ADR 0314).

- The deployables never import each other: ``subgraphs`` imports neither ``gateway`` nor
  ``worker``; ``gateway`` imports neither ``worker`` nor ``subgraphs``; ``worker`` imports
  neither ``gateway`` nor ``subgraphs``; no subgraph imports another. What they share is in
  ``wire`` (and the GraphiQL assets in ``webui``), which import no deployable. Only the CLI
  (``ordergate``) and the tests may import everything.
- The pure layers, composition and planning, reach no runtime or I/O module, directly or
  through what they import.
- No import cycle between product modules.

Every import counts: at module level, inside functions and under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from import_graph import ImportGraph, read_graph, strongly_connected

DEPLOYABLES = ("gateway", "subgraphs", "worker", "ordergate")
SUBGRAPHS = ("orders", "inventory", "payments", "shipments")

#: (importing package, packages it must never import)
FORBIDDEN = [
    ("subgraphs", ("gateway", "worker", "ordergate")),
    ("gateway", ("worker", "subgraphs", "ordergate")),
    ("worker", ("gateway", "subgraphs", "ordergate")),
    ("wire", (*DEPLOYABLES, "webui")),
    ("webui", DEPLOYABLES),
]

PURE_LAYERS = ("gateway.composition", "gateway.planning")
#: libraries that do I/O or serve (none may be reached from a pure layer)
IO_LIBRARIES = frozenset(
    {
        "aiohttp",
        "aiosqlite",
        "alembic",
        "asyncio",
        "asyncpg",
        "http",
        "httptools",
        "httpx",
        "jwt",
        "multiprocessing",
        "prometheus_client",
        "redis",
        "requests",
        "socket",
        "sqlalchemy",
        "ssl",
        "starlette",
        "strawberry",
        "subprocess",
        "urllib",
        "uvicorn",
        "uvloop",
        "websockets",
        "yaml",
    }
)
#: runtime parts of the gateway a pure layer must not import
RUNTIME_MODULES = (
    "gateway.app",
    "gateway.background",
    "gateway.engine",
    "gateway.execution",
    "gateway.http",
    "gateway.idempotency",
    "gateway.jobs",
    "gateway.observability",
    "gateway.pipeline",
    "gateway.process",
    "gateway.stores",
    "gateway.supergraph_file",
    "wire",
    "webui",
    "worker",
)


@pytest.fixture(scope="module")
def graph() -> ImportGraph:
    return read_graph()


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _violations(graph: ImportGraph, source: str, targets: tuple[str, ...]) -> Iterator[str]:
    for module, imports in sorted(graph.imports.items()):
        if not _in(module, source):
            continue
        for imported in imports:
            if any(_in(imported.target, target) for target in targets):
                yield f"{graph.modules[module]}:{imported.line} imports {imported.target}"


def test_the_graph_sees_every_kind_of_import(graph: ImportGraph) -> None:
    # a function-level import (the CLI imports lazily) and a TYPE_CHECKING-only one
    assert "gateway.process.workers" in graph.internal_edges("ordergate.commands.gateway")
    assert "strawberry.types" in {
        imported.target for imported in graph.imports["subgraphs.common.rights"]
    }
    assert {"gateway", "subgraphs", "worker", "wire", "ordergate"} <= {
        module.split(".")[0] for module in graph.modules
    }


@pytest.mark.parametrize(("source", "targets"), FORBIDDEN, ids=[rule[0] for rule in FORBIDDEN])
def test_deployables_do_not_import_each_other(
    graph: ImportGraph, source: str, targets: tuple[str, ...]
) -> None:
    assert list(_violations(graph, source, targets)) == []


def test_no_subgraph_imports_another(graph: ImportGraph) -> None:
    found = [
        violation
        for name in SUBGRAPHS
        for violation in _violations(
            graph,
            f"subgraphs.{name}",
            tuple(f"subgraphs.{other}" for other in SUBGRAPHS if other != name),
        )
    ]
    assert found == []


def _reached(graph: ImportGraph, package: str) -> dict[str, str]:
    """Every module of ours reachable from ``package`` -> the module that first imports it."""
    todo = [module for module in graph.modules if _in(module, package)]
    reached = dict.fromkeys(todo, package)
    while todo:
        module = todo.pop()
        for target in sorted(graph.internal_edges(module)):
            if target not in reached:
                reached[target] = module
                todo.append(target)
    return reached


@pytest.mark.parametrize("layer", PURE_LAYERS)
def test_pure_layers_reach_no_runtime_or_io_module(graph: ImportGraph, layer: str) -> None:
    reached = _reached(graph, layer)
    runtime = [
        f"{module} (imported by {importer})"
        for module, importer in sorted(reached.items())
        if any(_in(module, forbidden) for forbidden in RUNTIME_MODULES)
    ]
    io = [
        f"{graph.modules[module]}:{imported.line} imports {imported.target}"
        for module in sorted(reached)
        for imported in graph.imports[module]
        if graph.resolve(imported.target) is None and imported.target.split(".")[0] in IO_LIBRARIES
    ]
    assert runtime == []
    assert io == []


def test_no_import_cycles(graph: ImportGraph) -> None:
    assert strongly_connected(graph) == []
