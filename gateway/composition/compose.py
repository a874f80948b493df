"""Composition entry point: subgraph SDLs in, supergraph SDL out (or every error found).

Stages, each collecting all the errors it can before the pipeline stops:

1. build: parse each SDL, resolve @link, check GraphQL validity;
2. upgrade: rewrite Federation 1 subgraphs into Federation 2;
3. validate: per-subgraph federation rules (@key, @requires, @provides, @external, ...);
4. merge: types, fields and directives across subgraphs, with join metadata;
5. print: the supergraph SDL, checked once more by graphql-core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graphql import GraphQLError, build_schema

from gateway.composition.builder import build_subgraph
from gateway.composition.errors import CompositionError, CompositionFailedError, ErrorCode
from gateway.composition.merge.context import Hint
from gateway.composition.merge.merger import merge_subgraphs
from gateway.composition.printer import print_supergraph
from gateway.composition.subgraph import Subgraph
from gateway.composition.upgrade import upgrade_subgraphs
from gateway.composition.validation import validate_subgraph

__all__ = ["CompositionResult", "SubgraphSource", "compose"]


@dataclass(frozen=True, slots=True)
class SubgraphSource:
    """One subgraph to compose: its name, routing URL and SDL."""

    name: str
    url: str
    sdl: str
    #: where the SDL came from (file path or URL), for reports
    origin: str | None = None


@dataclass(slots=True)
class CompositionResult:
    """A successful composition."""

    supergraph_sdl: str
    hints: list[Hint] = field(default_factory=list)
    subgraph_names: list[str] = field(default_factory=list)


def _build_all(sources: Sequence[SubgraphSource]) -> tuple[list[Subgraph], list[CompositionError]]:
    errors: list[CompositionError] = []
    subgraphs: list[Subgraph] = []
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            errors.append(
                CompositionError(
                    ErrorCode.INVALID_SUBGRAPH_NAME,
                    f'A subgraph named "{source.name}" already exists',
                    source.name,
                )
            )
            continue
        seen.add(source.name)
        subgraph, problems = build_subgraph(source.name, source.url, source.sdl)
        errors.extend(problems)
        if subgraph is not None:
            subgraphs.append(subgraph)
    return subgraphs, errors


def compose(sources: Sequence[SubgraphSource]) -> CompositionResult:
    """Compose ``sources``; raises :class:`CompositionFailedError` with every error found."""
    subgraphs, errors = _build_all(sources)
    if errors:
        # Still check the subgraphs that built (those that need no upgrade), to report more at once.
        for subgraph in subgraphs:
            if subgraph.is_fed2:
                errors.extend(validate_subgraph(subgraph))
        raise CompositionFailedError(errors)
    errors = upgrade_subgraphs(subgraphs)
    if errors:
        raise CompositionFailedError(errors)
    for subgraph in subgraphs:
        errors.extend(validate_subgraph(subgraph))
    if errors:
        raise CompositionFailedError(errors)
    merged, errors = merge_subgraphs(subgraphs)
    if merged is None:
        raise CompositionFailedError(errors)
    sdl = print_supergraph(merged)
    try:
        build_schema(sdl)
    except (GraphQLError, TypeError) as exc:
        raise CompositionFailedError(
            [
                CompositionError(
                    ErrorCode.INVALID_GRAPHQL,
                    f"The composed supergraph is not valid GraphQL (a composer bug): {exc}",
                )
            ]
        ) from exc
    return CompositionResult(sdl, merged.hints, sorted(s.name for s in subgraphs))
