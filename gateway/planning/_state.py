"""The working state of one planning run, and the walk the concern modules call back into."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, Protocol

from gateway.planning._cursor import PlanCursor
from gateway.planning._groups import FetchGroup
from gateway.planning._resolution import Resolution
from gateway.planning.operation import Field, Selection
from gateway.supergraph.model import Supergraph

__all__ = ["INF", "MAX_DEPTH", "PlanState", "PlanningError", "Walk"]

#: an estimate meaning "cannot be resolved from there"
INF = 10**9
#: nested plan calls allowed (entity jumps inside entity jumps) before giving up
MAX_DEPTH = 64


class PlanningError(Exception):
    """The operation cannot be planned over this supergraph (code ``QUERY_PLANNING_FAILED``)."""

    code = "QUERY_PLANNING_FAILED"


class PlanState:
    """What one planning run builds: the fetch groups, and where the walk is in the operation."""

    def __init__(self, supergraph: Supergraph, resolution: Resolution) -> None:
        self.supergraph = supergraph
        self.types = supergraph.types
        self.res = resolution
        self.groups: list[FetchGroup] = []
        #: entity fetch groups by (subgraph, path, parent id, extra dependencies, tag)
        self.children: dict[object, FetchGroup] = {}
        #: nesting of plan calls (bounded by :data:`MAX_DEPTH`)
        self.depth = 0
        #: (parent type, field) of the local fields above the current position
        self.trail: list[tuple[str, str]] = []

    def new_group(
        self,
        graph: str,
        path: tuple[str, ...],
        *,
        is_entity: bool,
        phase: int,
        kind: Literal["query", "mutation"] = "query",
        depends_on: Iterable[int] = (),
    ) -> FetchGroup:
        """Create a fetch group."""
        group = FetchGroup(
            id=len(self.groups),
            graph=graph,
            merge_path=path,
            is_entity=is_entity,
            operation_kind=kind,
            phase=phase,
            depends_on=set(depends_on),
        )
        self.groups.append(group)
        return group

    def child(
        self,
        parent: FetchGroup,
        graph: str,
        path: tuple[str, ...],
        deps: set[int],
        fresh: bool,
        tag: int = 0,
    ) -> FetchGroup:
        """The entity fetch to ``graph`` at ``path`` below ``parent`` (created on first use).

        With ``fresh``, fetches that wait for different extra ``deps`` stay apart.
        """
        key: object = (graph, path, parent.id, frozenset(deps) if fresh else None, tag)
        found = self.children.get(key)
        if found is None:
            found = self.new_group(
                graph, path, is_entity=True, phase=parent.phase, depends_on=deps | {parent.id}
            )
            self.children[key] = found
        else:
            found.depends_on |= deps
        return found

    def children_at(self, path: tuple[str, ...]) -> list[tuple[object, ...]]:
        """The keys of the entity fetches made so far at ``path``."""
        return [k for k in self.children if isinstance(k, tuple) and k[1] == path]


class Walk(Protocol):
    """The core walk, as the concern modules (abstract types, jumps, requires) call it."""

    state: PlanState

    def plan(
        self,
        cursor: PlanCursor,
        selections: Sequence[Selection],
        *,
        requires_satisfied: bool = False,
    ) -> None:
        """Plan ``selections`` on the objects at ``cursor``."""

    def add_local(self, cursor: PlanCursor, selection: Field) -> None:
        """Select ``selection`` in the cursor's fetch and plan its sub-selection from there."""
