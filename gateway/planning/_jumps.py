"""Entity jumps: fields the current subgraph cannot resolve, fetched elsewhere through a key.

For each field the candidate subgraphs are those that resolve it and have a resolvable key; the
subgraph that resolves the most of the pending fields wins (then: one already fetched from at
this path, one whose key the current subgraph can select, the cheaper estimate, declaration
order). The key is selected in the current fetch and sent as the representation.
"""

from __future__ import annotations

from collections.abc import Sequence

from gateway.planning._applicable import applicable
from gateway.planning._cursor import PlanCursor
from gateway.planning._estimates import Estimates
from gateway.planning._groups import MInput
from gateway.planning._representations import input_of, internalize, user_keys
from gateway.planning._requires import RequiresJumps
from gateway.planning._resolution import Target
from gateway.planning._state import INF, PlanningError, Walk
from gateway.planning.operation import Field, Selection

__all__ = ["EntityJumps"]


class EntityJumps:
    """Chooses the subgraphs for fields resolved elsewhere, and plans the entity fetches."""

    def __init__(self, walk: Walk, estimates: Estimates) -> None:
        self.walk = walk
        self.state = walk.state
        self.supergraph = walk.state.supergraph
        self.types = walk.state.types
        self.res = walk.state.res
        self.estimates = estimates
        self.requires = RequiresJumps(walk)

    def jump(
        self, cursor: PlanCursor, fields: list[Field], user_selections: Sequence[Selection]
    ) -> None:
        """Fetch ``fields`` of the objects at ``cursor`` from other subgraphs."""
        type_name = cursor.type_name
        options: list[list[tuple[Target, int]]] = []
        fields = self._expand_unresolvable(type_name, fields)
        for selection in fields:
            found: list[tuple[Target, int]] = []
            for target in self.res.targets(type_name, selection.name):
                cost = self.estimates.estimate_field(target.graph, target.entity_type, selection)
                if cost < INF:
                    found.append((target, cost))
            if not found:
                raise PlanningError(
                    f"no subgraph can resolve {type_name}.{selection.name} reached from "
                    f"{self.supergraph.subgraphs[cursor.graph].name}"
                )
            options.append(found)
        pending = list(range(len(fields)))
        order = self.res.graph_order
        while pending:
            scores: dict[str, list[int]] = {}
            for index in pending:
                for target, cost in options[index]:
                    score = scores.setdefault(target.graph, [0, 0, 0, 0])
                    score[0] += 1
                    score[3] -= cost
            for graph, score in scores.items():
                if any(
                    key[0] == graph and key[2] == cursor.group.id
                    for key in self.state.children_at(cursor.path)
                ):
                    score[1] = 1
                if any(
                    self.res.locally_resolvable(
                        cursor.graph, type_name, self.res.field_set(k.fields), cursor.provided
                    )
                    for k in self.res.entity_keys(graph, self._entity_type(type_name, graph))
                ):
                    score[2] = 1
            best = max(scores, key=lambda g: (*scores[g], -order.index(g)))
            chosen = [i for i in pending if any(t.graph == best for t, _ in options[i])]
            target = next(t for t, _ in options[chosen[0]] if t.graph == best)
            self.jump_to(cursor, target, [fields[i] for i in chosen], user_selections)
            pending = [i for i in pending if i not in chosen]

    def _expand_unresolvable(self, type_name: str, fields: list[Field]) -> list[Field]:
        """Split composite fields no single subgraph resolves whole into one field per subfield."""
        result: list[Field] = []
        for selection in fields:
            if selection.selections and not any(
                self.estimates.estimate_field(t.graph, t.entity_type, selection) < INF
                for t in self.res.targets(type_name, selection.name)
            ):
                field_type = self.types[type_name].fields[selection.name].type_name
                if not self.types[field_type].is_abstract:
                    for item in applicable(
                        self.supergraph, field_type, field_type, selection.selections
                    ):
                        result.append(
                            Field(selection.name, selection.alias, selection.arguments, (item,))
                        )
                    continue
            result.append(selection)
        return result

    def _entity_type(self, type_name: str, graph: str) -> str:
        if graph in self.types[type_name].graphs:
            return type_name
        for interface in self.res.interfaces_of(type_name):
            in_graph = self.types[interface].graphs.get(graph)
            if in_graph is not None and in_graph.is_interface_object:
                return interface
        return type_name

    def jump_to(
        self,
        cursor: PlanCursor,
        target: Target,
        fields: list[Selection],
        user_selections: Sequence[Selection],
    ) -> None:
        """Fetch ``fields`` of the objects at ``cursor`` from ``target``."""
        client_keys = user_keys(user_selections)
        key_input, key_deps = self._key_input(cursor, target, client_keys)
        plain: list[Selection] = []
        with_requires: list[tuple[Field, str]] = []
        for selection in fields:
            info = (
                self.res.field_info(target.graph, target.entity_type, selection.name, None)
                if isinstance(selection, Field) and not selection.name.startswith("__")
                else None
            )
            if info is not None and info.requires and not info.external:
                with_requires.append((selection, info.requires))  # type: ignore[arg-type]
            else:
                plain.append(selection)
        runtime_types = [cursor.type_name]
        if self.types[cursor.type_name].is_abstract:
            runtime_types += sorted(self.supergraph.possible_types(cursor.type_name))
        if plain:
            child = self.state.child(cursor.group, target.graph, cursor.path, key_deps, fresh=False)
            for runtime_type in runtime_types:
                child.add_input(runtime_type, target.entity_type, key_input)
            self.walk.plan(cursor.in_entity_fetch(child, target.entity_type), plain)
        if with_requires:
            self.requires.jump(
                cursor,
                target,
                with_requires,
                (key_input, key_deps),
                client_keys,
                runtime_types,
            )

    def _key_input(
        self, cursor: PlanCursor, target: Target, client_keys: dict[str, tuple[str, str]]
    ) -> tuple[MInput, set[int]]:
        """Select a key of ``target`` in the current fetch: its representation and sources."""
        chosen = None
        for key in target.keys:
            field_set = self.res.field_set(key.fields)
            if self.res.locally_resolvable(
                cursor.graph, cursor.type_name, field_set, cursor.provided
            ):
                chosen = field_set
                break
        if chosen is None:
            chosen = self.res.field_set(target.keys[0].fields)
        selections = internalize(chosen, client_keys)
        key_deps: set[int] = {cursor.group.id}
        cursor.selection.add_typename()
        self.walk.plan(cursor.collecting(key_deps), selections)
        return input_of(self.supergraph, cursor.type_name, selections), key_deps
