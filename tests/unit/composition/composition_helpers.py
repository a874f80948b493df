"""Helpers for the composition tests: compose inline SDLs or fixture folders, pick a definition.

Imported by the test modules of this folder (pytest puts the folder on ``sys.path``).
"""

from __future__ import annotations

import re
from pathlib import Path

from gateway.composition import SubgraphSource, compose

HERE = Path(__file__).parent
FED2 = '@link(url: "https://specs.apollo.dev/federation/v{version}", import: [{imports}])'


def fed2(*imports: str, version: str = "2.3") -> str:
    """An ``extend schema @link(...)`` line importing ``imports`` (without ``@``)."""
    quoted = ", ".join(f'"@{name}"' for name in imports)
    return "extend schema " + FED2.format(version=version, imports=quoted) + "\n"


def sources_of(folder: Path) -> list[SubgraphSource]:
    """One subgraph per ``<name>.graphql`` file of ``folder`` (``supergraph.graphql`` excluded)."""
    return [
        SubgraphSource(path.stem, f"http://{path.stem}.example/graphql", path.read_text())
        for path in sorted(folder.glob("*.graphql"))
        if path.name != "supergraph.graphql"
    ]


def compose_sdls(**subgraphs: str) -> str:
    """Compose inline subgraph SDLs (keyword = subgraph name); returns the supergraph SDL."""
    return compose(
        [
            SubgraphSource(name, f"http://{name}.example/graphql", sdl)
            for name, sdl in subgraphs.items()
        ]
    ).supergraph_sdl


def definition(sdl: str, header: str) -> str:
    """The block of ``sdl`` starting with ``header`` (``"type Product"``), up to its end."""
    pattern = re.compile(rf"^{re.escape(header)}\b.*?(?:^\}}$|(?=\n\n)|\Z)", re.S | re.M)
    match = pattern.search(sdl)
    if match is None:
        raise AssertionError(f"{header!r} not found in:\n{sdl}")
    return match.group(0).strip()
