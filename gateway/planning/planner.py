"""Operation + supergraph -> :class:`QueryPlan`.

Root fields are grouped by the subgraph chosen for each (fewest fetches first; mutations keep
their order and run one after the other); the :class:`PlanBuilder` fills the fetch groups; entity
fetches to the same subgraph for the same objects are merged where that delays nothing (ADR
0205); the groups are then ordered by their dependencies into ``Sequence``/``Parallel`` nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from graphql import (
    FragmentDefinitionNode,
    OperationDefinitionNode,
    OperationType,
    print_ast,
)

from gateway.planning._applicable import applicable
from gateway.planning._builder import PlanBuilder
from gateway.planning._cursor import PlanCursor
from gateway.planning._groups import FetchGroup, dependencies, group_levels
from gateway.planning._merging import merge_fetch_groups
from gateway.planning._resolution import Resolution
from gateway.planning._state import INF, PlanningError
from gateway.planning.nodes import (
    EntityBatch,
    EntityInput,
    Fetch,
    Flatten,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
)
from gateway.planning.operation import Field, Selection, normalize_selections
from gateway.supergraph.model import Supergraph

__all__ = ["PlannedOperation", "PlanningError", "plan_operation"]


@dataclass(frozen=True, slots=True)
class PlannedOperation:
    """A plan plus the normalized client selections the response is shaped from."""

    plan: QueryPlan
    operation_kind: Literal["query", "mutation", "subscription"]
    root_type: str
    selections: tuple[Selection, ...]


def _root_fields(
    builder: PlanBuilder, root_type: str, selections: tuple[Selection, ...]
) -> list[Field]:
    return [
        s
        for s in applicable(builder.supergraph, root_type, root_type, selections)
        if isinstance(s, Field) and not s.name.startswith("__")
    ]


def _choose_graph(
    builder: PlanBuilder, root_type: str, selection: Field, preferred: list[str]
) -> str:
    candidates = [
        graph
        for graph in builder.res.graph_order
        if builder.res.field_info(graph, root_type, selection.name, None) is not None
    ]
    if not candidates:
        raise PlanningError(f"no subgraph resolves {root_type}.{selection.name}")
    if len(candidates) == 1:
        return candidates[0]
    order = builder.res.graph_order
    return min(
        candidates,
        key=lambda g: (
            builder.estimates.estimate_field(g, root_type, selection),
            g not in preferred,
            order.index(g),
        ),
    )


def _split_root(builder: PlanBuilder, root_type: str, selection: Field) -> list[Field]:
    """A shared root field no single subgraph resolves whole: one field per subfield."""
    if not selection.selections:
        return [selection]
    candidates = [
        graph
        for graph in builder.res.graph_order
        if builder.res.field_info(graph, root_type, selection.name, None) is not None
    ]
    if any(builder.estimates.estimate_field(g, root_type, selection) < INF for g in candidates):
        return [selection]
    field_type = builder.types[root_type].fields[selection.name].type_name
    if builder.types[field_type].is_abstract:
        return [selection]
    return [
        Field(selection.name, selection.alias, selection.arguments, (item,))
        for item in applicable(builder.supergraph, field_type, field_type, selection.selections)
    ]


def plan_operation(
    supergraph: Supergraph,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    *,
    conditions: Mapping[str, bool],
    active_labels: frozenset[str] = frozenset(),
) -> PlannedOperation:
    """Plan ``operation`` with its ``@skip``/``@include`` variables fixed to ``conditions``."""
    kind = operation.operation
    if kind == OperationType.MUTATION:
        root_type = supergraph.mutation_type or "Mutation"
    elif kind == OperationType.SUBSCRIPTION:
        root_type = supergraph.subscription_type or "Subscription"
    else:
        root_type = supergraph.query_type
    selections = normalize_selections(operation.selection_set, fragments, conditions)
    builder = PlanBuilder(supergraph, Resolution(supergraph, active_labels))
    fields = _root_fields(builder, root_type, selections)
    if kind == OperationType.MUTATION:
        current: FetchGroup | None = None
        for index, selection in enumerate(fields):
            graph = _choose_graph(builder, root_type, selection, [current.graph] if current else [])
            if current is None or current.graph != graph:
                current = builder.state.new_group(
                    graph, (), is_entity=False, phase=index, kind="mutation"
                )
            builder.plan(PlanCursor(current, current.selection, root_type, ()), [selection])
    else:
        by_graph: dict[str, FetchGroup] = {}
        parts = [part for whole in fields for part in _split_root(builder, root_type, whole)]
        for selection in parts:
            graph = _choose_graph(builder, root_type, selection, list(by_graph))
            group = by_graph.get(graph)
            if group is None:
                group = by_graph[graph] = builder.state.new_group(
                    graph, (), is_entity=False, phase=0
                )
            builder.plan(PlanCursor(group, group.selection, root_type, ()), [selection])
    variable_types = {
        d.variable.name.value: print_ast(d.type)
        + (f"={print_ast(d.default_value)}" if d.default_value is not None else "")
        for d in operation.variable_definitions or ()
    }
    plan = _assemble(builder, supergraph, variable_types)
    kind_name: Literal["query", "mutation", "subscription"] = (
        "mutation" if kind == OperationType.MUTATION else "query"
    )
    return PlannedOperation(plan, kind_name, root_type, selections)


def _fetch(group: FetchGroup, supergraph: Supergraph, variable_types: Mapping[str, str]) -> Fetch:
    used = sorted(v for v in group.selection.variables(set()) if v in variable_types)
    declarations = [f"${name}:{variable_types[name]}" for name in used]
    if group.is_entity:
        declarations.insert(0, "$representations:[_Any!]!")
        body = "{_entities(representations:$representations)" + group.selection.print() + "}"
    else:
        body = group.selection.print()
    header: str = group.operation_kind
    if declarations:
        header += "(" + ",".join(declarations) + ")"
    inputs = tuple(
        EntityInput(runtime_type, send_type, representation.freeze())
        for runtime_type, (send_type, representation) in group.inputs.items()
    )
    return Fetch(
        entity_selection=group.selection.print() if group.is_entity else "",
        variable_declarations=tuple(f"${name}:{variable_types[name]}" for name in used),
        id=group.id,
        service=supergraph.subgraphs[group.graph].name,
        operation=header + body,
        operation_kind=group.operation_kind,
        variables=tuple(used),
        inputs=inputs,
        depends_on=tuple(sorted(d for d in group.depends_on if d != group.id)),
        renames=tuple(group.selection.renames(("_entities", "@") if group.is_entity else (), [])),
    )


def _batch(service: str, parts: list[Flatten]) -> EntityBatch:
    """One request for several entity fetches of the same step to ``service``."""
    declarations = [f"$r{index}:[_Any!]!" for index in range(len(parts))]
    for part in parts:
        for declaration in part.node.variable_declarations:
            if declaration not in declarations:
                declarations.append(declaration)
    fields = " ".join(
        f"_{index}:_entities(representations:$r{index}){part.node.entity_selection}"
        for index, part in enumerate(parts)
    )
    operation = f"query({','.join(declarations)}){{{fields}}}"
    return EntityBatch(service, operation, tuple(parts))


def _assemble(
    builder: PlanBuilder, supergraph: Supergraph, variable_types: Mapping[str, str]
) -> QueryPlan:
    groups = merge_fetch_groups([g for g in builder.state.groups if not g.selection.is_empty()])
    levels = group_levels(dependencies(groups))

    def level(group: FetchGroup) -> int:
        return levels[group.id]

    fetches: list[Fetch] = []
    phases: list[PlanNode] = []
    for phase in sorted({g.phase for g in groups}):
        in_phase = sorted((g for g in groups if g.phase == phase), key=lambda g: (level(g), g.id))
        steps: list[PlanNode] = []
        for step in sorted({level(g) for g in in_phase}):
            nodes: list[PlanNode] = []
            by_service: dict[str, list[Flatten]] = {}
            for group in (g for g in in_phase if level(g) == step):
                fetch = _fetch(group, supergraph, variable_types)
                fetches.append(fetch)
                if group.is_entity:
                    by_service.setdefault(fetch.service, []).append(
                        Flatten(group.merge_path, fetch)
                    )
                else:
                    nodes.append(fetch)
            for service, flattens in by_service.items():
                nodes.append(flattens[0] if len(flattens) == 1 else _batch(service, flattens))
            steps.append(nodes[0] if len(nodes) == 1 else Parallel(tuple(nodes)))
        phases.extend(steps)
    if not phases:
        return QueryPlan(None, ())
    node = phases[0] if len(phases) == 1 else Sequence(tuple(phases))
    return QueryPlan(node, tuple(fetches))
