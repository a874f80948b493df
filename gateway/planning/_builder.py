"""The plan builder's core walk: the normalized operation, field by field, into fetch groups.

Fields stay in the subgraph of the current fetch while it can resolve them (``@shareable``,
``@provides``); the others go to :mod:`._jumps` (entity jumps through a key the current subgraph
can provide, ``@requires`` in :mod:`._requires`); abstract types go to :mod:`._abstract`;
:mod:`._estimates` chooses between subgraphs. Where the walk stands is one :class:`PlanCursor`.
"""

from __future__ import annotations

from collections.abc import Sequence

from gateway.planning._abstract import AbstractTypes
from gateway.planning._applicable import applicable, list_depth
from gateway.planning._cursor import PlanCursor
from gateway.planning._estimates import Estimates
from gateway.planning._jumps import EntityJumps
from gateway.planning._provides import provided_inside
from gateway.planning._resolution import Resolution
from gateway.planning._state import INF, MAX_DEPTH, PlanningError, PlanState
from gateway.planning.operation import Field, Selection
from gateway.supergraph.model import Supergraph

__all__ = ["PlanBuilder", "PlanningError"]


class PlanBuilder:
    """Builds the fetch groups of one operation (one instance per planning run)."""

    def __init__(self, supergraph: Supergraph, resolution: Resolution) -> None:
        self.state = PlanState(supergraph, resolution)
        self.supergraph = supergraph
        self.types = supergraph.types
        self.res = resolution
        self.estimates = Estimates(supergraph, resolution)
        self.jumps = EntityJumps(self, self.estimates)
        self.abstract = AbstractTypes(self, self.jumps)

    def plan(
        self,
        cursor: PlanCursor,
        selections: Sequence[Selection],
        *,
        requires_satisfied: bool = False,
    ) -> None:
        """Plan ``selections`` on the objects at ``cursor``.

        ``requires_satisfied``: the fetch receives the ``@requires`` inputs of these fields.
        """
        state = self.state
        state.depth += 1
        try:
            if state.depth > MAX_DEPTH:
                raise PlanningError("the operation needs too many nested entity fetches")
            if self.types[cursor.type_name].is_abstract:
                self.abstract.plan(cursor, selections, requires_satisfied)
            else:
                self._plan_object(cursor, selections, requires_satisfied)
        finally:
            state.depth -= 1

    def _plan_object(
        self, cursor: PlanCursor, selections: Sequence[Selection], requires_satisfied: bool
    ) -> None:
        type_name, graph = cursor.type_name, cursor.graph
        fields = [
            s
            for s in applicable(self.supergraph, type_name, type_name, selections)
            if isinstance(s, Field)
        ]
        remote: list[Field] = []
        for selection in fields:
            if selection.name == "__typename":
                if cursor.path:
                    cursor.selection.add_typename()
                continue
            if selection.name.startswith("__"):
                continue
            local = self.res.is_local(graph, type_name, selection.name, cursor.provided)
            if not local and requires_satisfied:
                info = self.res.field_info(graph, type_name, selection.name, cursor.provided)
                local = info is not None
            if local and selection.selections and cursor.path:
                kept, moved = self._split_unreachable(cursor, selection)
                if moved is not None:
                    remote.append(moved)
                if kept is None:
                    continue
                selection = kept
            if local:
                self.add_local(cursor, selection)
            else:
                remote.append(selection)
        if remote:
            if not cursor.path:
                raise PlanningError(
                    f"cannot resolve {type_name}.{remote[0].name} from subgraph "
                    f"{self.supergraph.subgraphs[graph].name}"
                )
            self.jumps.jump(cursor, remote, selections)

    def _split_unreachable(
        self, cursor: PlanCursor, selection: Field
    ) -> tuple[Field | None, Field | None]:
        """Split off the part of a local field's selection the cursor's subgraph cannot reach.

        What no entity jump can reach from inside the field (a type without keys there) is
        fetched with the field itself from another subgraph, through the parent's key.
        """
        type_name, graph = cursor.type_name, cursor.graph
        field_def = self.types[type_name].fields[selection.name]
        info = self.res.field_info(graph, type_name, selection.name, cursor.provided)
        nested = provided_inside(
            cursor.provided, type_name, selection.name, info, self.res.field_set
        )
        sub = selection.selections or ()
        if self.estimates.estimate(graph, field_def.type_name, sub, nested, 0) < INF:
            return selection, None
        if not self.res.targets(type_name, selection.name):
            return selection, None
        if self.types[field_def.type_name].is_abstract:
            return None, selection
        reachable: list[Selection] = []
        unreachable: list[Selection] = []
        for item in applicable(self.supergraph, field_def.type_name, field_def.type_name, sub):
            cost = self.estimates.estimate(graph, field_def.type_name, (item,), nested, 0)
            (reachable if cost < INF else unreachable).append(item)
        moved = Field(selection.name, selection.alias, selection.arguments, tuple(unreachable))
        if not reachable:
            return None, moved
        kept = Field(selection.name, selection.alias, selection.arguments, tuple(reachable))
        return kept, moved

    def add_local(self, cursor: PlanCursor, selection: Field) -> None:
        """Select ``selection`` in the cursor's fetch and plan its sub-selection from there."""
        type_name = cursor.type_name
        field_def = self.types[type_name].fields[selection.name]
        child_def = self.types.get(field_def.type_name)
        composite = child_def is not None and child_def.is_composite
        info = self.res.field_info(cursor.graph, type_name, selection.name, cursor.provided)
        mfield = cursor.selection.add_field(
            selection.name,
            selection.alias,
            selection.arguments,
            selection.arguments_text,
            composite,
            list_depth=list_depth(field_def.type_str),
            type_mismatch=info is not None
            and info.type is not None
            and info.type != field_def.type_str,
        )
        cursor.record_source()
        if not composite or selection.selections is None or mfield.selection is None:
            return
        nested = provided_inside(
            cursor.provided, type_name, selection.name, info, self.res.field_set
        )
        sub_path = (*cursor.path, mfield.response_key, *(["@"] * list_depth(field_def.type_str)))
        sub_type = field_def.type_name
        if info is not None and info.type is not None:
            graph_type = info.type.strip("[]!")
            if graph_type in self.types:
                sub_type = graph_type  # the subgraph's own, narrower type
        self.state.trail.append((type_name, selection.name))
        try:
            self.plan(
                cursor.below(mfield.selection, sub_type, sub_path, nested), selection.selections
            )
        finally:
            self.state.trail.pop()
