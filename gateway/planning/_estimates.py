"""Estimates that choose between subgraphs: a rough count of the extra fetches a choice costs."""

from __future__ import annotations

from collections.abc import Sequence

from gateway.planning._applicable import applicable
from gateway.planning._provides import Provided, provided_at, provided_from
from gateway.planning._resolution import Resolution, Target
from gateway.planning._state import INF
from gateway.planning.operation import Field, Selection
from gateway.supergraph.model import Supergraph

__all__ = ["Estimates"]

#: how deep an estimate looks into the selections before counting nothing more
_HORIZON = 6


class Estimates:
    """Counts the entity fetches a selection would need from a given subgraph."""

    def __init__(self, supergraph: Supergraph, resolution: Resolution) -> None:
        self.supergraph = supergraph
        self.types = supergraph.types
        self.res = resolution

    def has_local_key(
        self, graph: str, type_name: str, target: Target, provided: Provided | None
    ) -> bool:
        """Whether ``graph`` can select one of ``target``'s keys by itself."""
        return any(
            self.res.locally_resolvable(graph, type_name, self.res.field_set(k.fields), provided)
            for k in target.keys
        )

    def estimate_field(self, graph: str, type_name: str, selection: Field) -> int:
        """Rough count of extra fetches to resolve ``selection`` starting in ``graph``."""
        field_def = self.types[type_name].fields.get(selection.name)
        if field_def is None:
            return INF
        info = self.res.field_info(graph, type_name, selection.name, None)
        if info is None:
            return INF
        if not selection.selections:
            return 0
        nested = provided_from(self.res.field_set(info.provides)) if info.provides else None
        return self.estimate(graph, field_def.type_name, selection.selections, nested, 0)

    def estimate(
        self,
        graph: str,
        type_name: str,
        selections: Sequence[Selection],
        provided: Provided | None,
        depth: int,
    ) -> int:
        """Rough count of extra fetches to resolve ``selections`` on ``type_name`` in ``graph``."""
        if depth > _HORIZON:
            return 0
        type_def = self.types[type_name]
        if type_def.is_abstract:
            worst = 0
            possible = self.supergraph.possible_types(type_name, graph)
            if not possible and type_def.graphs.get(graph) is not None:
                possible = frozenset((type_name,))
            for runtime_type in sorted(possible):
                if runtime_type == type_name:
                    continue
                cost = self.estimate(
                    graph,
                    runtime_type,
                    applicable(self.supergraph, runtime_type, type_name, selections),
                    provided_at(provided, runtime_type),
                    depth + 1,
                )
                worst = max(worst, cost)
            return worst
        total = 0
        used: set[str] = set()
        for selection in applicable(self.supergraph, type_name, type_name, selections):
            if not isinstance(selection, Field) or selection.name.startswith("__"):
                continue
            field_def = type_def.fields.get(selection.name)
            if field_def is None:
                return INF
            if self.res.is_local(graph, type_name, selection.name, provided):
                if selection.selections:
                    here = provided_at(provided, type_name)
                    nested = here.get(selection.name) if here is not None else None
                    total += self.estimate(
                        graph, field_def.type_name, selection.selections, nested, depth + 1
                    )
                continue
            best = INF
            best_graph = None
            for target in self.res.targets(type_name, selection.name):
                if not self.has_local_key(graph, type_name, target, provided):
                    continue
                info = self.res.field_info(target.graph, target.entity_type, selection.name, None)
                cost = 0 if target.graph in used else 1
                if info is not None and info.requires:
                    cost += 1
                if selection.selections:
                    cost += self.estimate(
                        target.graph, field_def.type_name, selection.selections, None, depth + 1
                    )
                if cost < best:
                    best, best_graph = cost, target.graph
            if best_graph is None:
                return INF
            used.add(best_graph)
            total += best
        return min(total, INF)
