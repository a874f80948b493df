"""Human-readable composition reports: code, message, and the source lines involved.

Example::

    composition failed: 1 error

    INVALID_FIELD_SHARING
      Non-shareable field "Order.total" is resolved from multiple subgraphs: ...
      --> schema/subgraphs/orders.graphql:12:3 (orders)
         |
      12 |   total: Money!
         |   ^
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gateway.composition.compose import SubgraphSource
from gateway.composition.errors import CompositionError, SourceLocation

__all__ = ["format_errors"]


def _excerpt(location: SourceLocation, source: SubgraphSource | None) -> list[str]:
    where = source.origin if source and source.origin else location.subgraph
    lines = [f"  --> {where}:{location.line}:{location.column} ({location.subgraph})"]
    if source is None:
        return lines
    text = source.sdl.splitlines()
    if not 0 < location.line <= len(text):
        return lines
    number = str(location.line)
    gutter = " " * len(number)
    lines.append(f"   {gutter} |")
    lines.append(f"   {number} | {text[location.line - 1]}")
    lines.append(f"   {gutter} | {' ' * (location.column - 1)}^")
    return lines


def format_errors(
    errors: Sequence[CompositionError], sources: Mapping[str, SubgraphSource] | None = None
) -> str:
    """A report of every error (sources give file names and source lines when available)."""
    known = sources or {}
    count = len(errors)
    blocks = [f"composition failed: {count} error{'s' if count != 1 else ''}"]
    for error in errors:
        block = [str(error.code)]
        prefix = f"[{error.subgraph}] " if error.subgraph and not error.locations else ""
        block.append(f"  {prefix}{error.message}")
        for location in error.locations:
            block.extend(_excerpt(location, known.get(location.subgraph)))
        blocks.append("\n".join(block))
    return "\n\n".join(blocks) + "\n"
