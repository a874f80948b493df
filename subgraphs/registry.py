"""The four subgraphs by name, imported only when asked for."""

from __future__ import annotations

import importlib
from pathlib import Path

from subgraphs.common.definition import SubgraphDefinition

__all__ = ["SUBGRAPH_NAMES", "definition", "sqlite_url"]

#: Every subgraph, in dependency-free start order.
SUBGRAPH_NAMES: tuple[str, ...] = ("orders", "inventory", "payments", "shipments")


def definition(name: str) -> SubgraphDefinition:
    """The :class:`SubgraphDefinition` of subgraph ``name``."""
    if name not in SUBGRAPH_NAMES:
        raise KeyError(f"unknown subgraph {name!r}; known: {', '.join(SUBGRAPH_NAMES)}")
    found = importlib.import_module(f"subgraphs.{name}.app").DEFINITION
    assert isinstance(found, SubgraphDefinition)
    return found


def sqlite_url(data_dir: Path, name: str) -> str:
    """The embedded-default database URL of subgraph ``name`` under ``data_dir``."""
    return f"sqlite+aiosqlite:///{data_dir / f'{name}.db'}"
