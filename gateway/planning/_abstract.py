"""Interfaces, unions and ``@interfaceObject`` types at the cursor.

An abstract type is kept as it is when the subgraph resolves everything at the interface level;
otherwise it is split into one fragment per possible runtime type. A subgraph that sees an
interface as an ``@interfaceObject`` cannot say which implementation an object is: the real
``__typename`` and the fragments on implementations come from a subgraph that knows them.
"""

from __future__ import annotations

from collections.abc import Sequence

from gateway.planning._applicable import applicable
from gateway.planning._cursor import PlanCursor
from gateway.planning._jumps import EntityJumps
from gateway.planning._provides import Provided, provided_at
from gateway.planning._state import PlanningError, Walk
from gateway.planning.operation import Field, InlineFragment, Selection

__all__ = ["AbstractTypes"]


class AbstractTypes:
    """Plans selections on interfaces and unions."""

    def __init__(self, walk: Walk, jumps: EntityJumps) -> None:
        self.walk = walk
        self.state = walk.state
        self.supergraph = walk.state.supergraph
        self.types = walk.state.types
        self.res = walk.state.res
        self.jumps = jumps

    def plan(
        self, cursor: PlanCursor, selections: Sequence[Selection], requires_satisfied: bool
    ) -> None:
        """Plan ``selections`` on the abstract type at ``cursor``."""
        type_name, graph = cursor.type_name, cursor.graph
        in_graph = self.types[type_name].graphs.get(graph)
        if in_graph is not None and in_graph.is_interface_object:
            self._plan_interface_object(cursor, selections, requires_satisfied)
            return
        possible = sorted(
            self.supergraph.possible_types(type_name, graph)
            & self.supergraph.possible_types(type_name)
            & self._members_safe_on_path(type_name)
        )
        cursor.selection.add_typename()
        cursor.record_source()
        if self._abstract_local(graph, type_name, selections, cursor.provided, possible):
            self._plan_as_is(cursor, selections, frozenset(possible))
            return
        if not possible:
            for selection in selections:
                if (
                    isinstance(selection, Field)
                    and not selection.name.startswith("__")
                    and not self.res.is_local(graph, type_name, selection.name, cursor.provided)
                ):
                    raise PlanningError(
                        f"no subgraph can resolve {type_name}.{selection.name} reached from "
                        f"{self.supergraph.subgraphs[graph].name}"
                    )
        for runtime_type in possible:
            matching = applicable(self.supergraph, runtime_type, type_name, selections)
            if matching:
                self.walk.plan(cursor.on_type(runtime_type), matching)

    def _members_safe_on_path(self, type_name: str) -> frozenset[str]:
        """Union members every subgraph able to resolve the current path knows.

        Below an entity, a path of shareable fields could be resolved by any subgraph that has
        the entity and the path; only the members common to all of them are safe to select.
        """
        everything = self.supergraph.possible_types(type_name)
        trail = self.state.trail
        if self.types[type_name].kind != "UNION" or not trail:
            return everything
        steps: list[tuple[str, str]] = []
        entity = None
        for parent, field_name in reversed(trail):
            steps.append((parent, field_name))
            if any(t.keys for t in self.types[parent].graphs.values()):
                entity = parent
                break
        if entity is None:
            return everything
        steps.reverse()
        safe = set(everything)
        for graph in self.res.graph_order:
            if not self.res.entity_keys(graph, entity):
                continue
            if all(self.res.field_info(graph, p, f, None) is not None for p, f in steps):
                safe &= self.supergraph.possible_types(type_name, graph)
        return frozenset(safe)

    def _plan_as_is(
        self, cursor: PlanCursor, selections: Sequence[Selection], possible: frozenset[str]
    ) -> None:
        type_name = cursor.type_name
        for selection in selections:
            if isinstance(selection, Field):
                if not selection.name.startswith("__"):
                    self.walk.add_local(cursor, selection)
                continue
            condition = selection.type_condition or type_name
            if condition == type_name:
                self._plan_as_is(cursor, selection.selections, possible)
            elif (
                self._spreadable(cursor.graph, condition, possible)
                and cursor.graph in self.types[condition].graphs
            ):
                self.walk.plan(cursor.on_type(condition), selection.selections)

    def _spreadable(self, graph: str, condition: str, possible: frozenset[str]) -> bool:
        """Whether ``... on condition`` is worth sending where ``possible`` types may appear."""
        if self.types[condition].is_abstract:
            return bool(possible & self.supergraph.possible_types(condition, graph))
        return condition in possible

    def _abstract_local(
        self,
        graph: str,
        type_name: str,
        selections: Sequence[Selection],
        provided: Provided | None,
        possible: list[str],
    ) -> bool:
        """Whether ``graph`` resolves ``selections`` at the interface level, as they are."""
        for selection in selections:
            if isinstance(selection, Field):
                if selection.name == "__typename":
                    continue
                if self.types[type_name].kind != "INTERFACE":
                    return False
                if not self.res.is_local(graph, type_name, selection.name, provided):
                    return False
                for runtime_type in possible:
                    if not self.res.is_local(
                        graph, runtime_type, selection.name, provided_at(provided, runtime_type)
                    ):
                        return False
                continue
            condition = selection.type_condition or type_name
            condition_def = self.types.get(condition)
            if condition_def is None or graph not in condition_def.graphs:
                if condition_def is not None and condition_def.kind == "OBJECT":
                    continue  # a type this subgraph never returns: the fragment is dropped
                return False
            if condition_def.is_abstract and any(
                (runtime in self.supergraph.possible_types(condition))
                != (runtime in self.supergraph.possible_types(condition, graph))
                for runtime in possible
            ):
                return False  # the subgraph's view of the condition differs from the supergraph's
            if condition_def.is_abstract and not self._abstract_local(
                graph,
                condition,
                selection.selections,
                provided,
                sorted(self.supergraph.possible_types(condition, graph)),
            ):
                return False
        return True

    def _plan_interface_object(
        self, cursor: PlanCursor, selections: Sequence[Selection], requires_satisfied: bool
    ) -> None:
        """The subgraph sees the interface as an object type: concrete types need another one."""
        interface, graph, provided = cursor.type_name, cursor.graph, cursor.provided
        local: list[Field] = []
        remote: list[Field] = []
        needs_real: list[Selection] = []

        def walk(items: Sequence[Selection]) -> None:
            for selection in items:
                if isinstance(selection, InlineFragment):
                    if selection.type_condition in (None, interface):
                        walk(selection.selections)
                    else:
                        needs_real.append(selection)
                elif selection.name == "__typename":
                    needs_real.append(selection)
                elif self.res.is_local(graph, interface, selection.name, provided) or (
                    requires_satisfied
                    and self.res.field_info(graph, interface, selection.name, provided) is not None
                ):
                    local.append(selection)
                else:
                    remote.append(selection)

        walk(selections)
        for selection in local:
            self.walk.add_local(cursor, selection)
        if remote:
            self.jumps.jump(cursor, remote, selections)
        if needs_real:
            targets = self.res.typename_targets(interface)
            if not targets:
                raise PlanningError(f"no subgraph resolves the implementations of {interface}")
            self.jumps.jump_to(cursor, targets[0], [Field("__typename"), *needs_real], selections)
