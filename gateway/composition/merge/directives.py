"""Executable directive definitions (``directive @x on FIELD``): kept only where all agree.

A query against the supergraph may put such a directive anywhere, so it can reach any
subgraph: a definition is kept only if every subgraph defines it, with the locations common to
all and ``repeatable`` only if repeatable everywhere.
"""

from __future__ import annotations

from gateway.composition.merge.context import MergeContext, Sources
from gateway.composition.merge.references import (
    add_arguments_shallow,
    merge_argument,
    merge_description,
)
from gateway.composition.model import DirectiveDefinition, InputValue

__all__ = ["merge_executable_directives"]

_EXECUTABLE = {
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
}
_BUILT_IN = {"include", "skip", "deprecated", "specifiedBy", "defer", "stream", "oneOf"}


def _executable_locations(definition: DirectiveDefinition) -> list[str]:
    return sorted(loc for loc in definition.locations if loc in _EXECUTABLE)


def merge_executable_directives(ctx: MergeContext) -> None:
    """Add to the supergraph the executable directives every subgraph defines compatibly."""
    names: list[str] = []
    for subgraph in ctx.subgraphs:
        for name, definition in subgraph.schema.directive_definitions.items():
            if name in _BUILT_IN or name in names or not _executable_locations(definition):
                continue
            names.append(name)
    for name in names:
        sources: Sources[DirectiveDefinition] = {
            i: s.schema.directive_definitions.get(name) for i, s in enumerate(ctx.subgraphs)
        }
        if any(s is None for s in sources.values()):
            ctx.hint(
                "INCONSISTENT_EXECUTABLE_DIRECTIVE_PRESENCE",
                f'Executable directive "@{name}" will not be part of the supergraph as it does not'
                " appear in all subgraphs.",
            )
            continue
        present = [s for s in sources.values() if s is not None]
        locations = _executable_locations(present[0])
        for source in present[1:]:
            locations = [loc for loc in locations if loc in _executable_locations(source)]
        if not locations:
            ctx.hint(
                "NO_EXECUTABLE_DIRECTIVE_LOCATIONS_INTERSECTION",
                f'Executable directive "@{name}" has no location that is common to all subgraphs.',
            )
            continue
        dest = DirectiveDefinition(
            name=name, locations=locations, repeatable=all(s.repeatable for s in present)
        )
        merge_description(ctx, sources, dest)
        add_arguments_shallow(ctx, sources, dest)
        for arg_name, argument in dest.args.items():
            arg_sources: Sources[InputValue] = {
                i: (s.args.get(arg_name) if s is not None else None) for i, s in sources.items()
            }
            merge_argument(ctx, arg_sources, argument)
        ctx.merged.directive_definitions[name] = dest
