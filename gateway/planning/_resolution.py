"""Where a field can be resolved: local resolvability, provides, overrides and entity jumps."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from gateway.planning._provides import Provided, provided_at, provided_from
from gateway.planning.operation import InlineFragment, Selection, parse_field_set
from gateway.supergraph.model import FieldInGraph, KeyDef, Supergraph

__all__ = ["Resolution", "Target"]


@dataclass(frozen=True, slots=True)
class Target:
    """An entity jump: resolve fields of ``type_name`` (as ``entity_type``) in ``graph``."""

    graph: str
    entity_type: str
    keys: tuple[KeyDef, ...]


class Resolution:
    """Answers resolvability questions for one supergraph and one set of override labels."""

    def __init__(self, supergraph: Supergraph, active_labels: frozenset[str]) -> None:
        self.supergraph = supergraph
        self.active_labels = active_labels
        self._field_sets: dict[str, tuple[Selection, ...]] = {}
        self._targets: dict[tuple[str, str, str], list[Target]] = {}

    def field_set(self, text: str) -> tuple[Selection, ...]:
        """A parsed field set (memoized)."""
        found = self._field_sets.get(text)
        if found is None:
            found = self._field_sets[text] = parse_field_set(text)
        return found

    @cached_property
    def graph_order(self) -> list[str]:
        """Subgraph ids in declaration order."""
        return list(self.supergraph.subgraphs)

    def _label_active(self, label: str) -> bool:
        return label in self.active_labels

    def _overridden_away(self, type_name: str, field_name: str, graph: str) -> bool:
        """Whether an ``@override`` takes the field away from ``graph`` under the active labels.

        A progressive override is printed on both sides: the overriding subgraph's field has
        ``override`` and ``overrideLabel``, the overridden one's only ``overrideLabel``. The
        overriding side resolves the field while the label is on, the overridden side while it
        is off.
        """
        field_def = self.supergraph.types[type_name].fields.get(field_name)
        if field_def is None or field_def.graphs is None:
            return False
        mine = field_def.graphs.get(graph)
        if (
            mine is not None
            and mine.override is not None
            and mine.override_label
            and not self._label_active(mine.override_label)
        ):
            return True  # the overriding side of a progressive override whose label is off
        name = self.supergraph.subgraphs[graph].name
        for other in field_def.graphs.values():
            if (
                other.graph != graph
                and other.override is not None
                and other.override == name
                and (other.override_label is None or self._label_active(other.override_label))
            ):
                return True
        return False

    def field_info(
        self, graph: str, type_name: str, field_name: str, provided: Provided | None
    ) -> FieldInGraph | None:
        """How ``graph`` resolves ``type_name.field_name`` here, or ``None`` when it cannot."""
        info = self.supergraph.field_in_graph(type_name, field_name, graph)
        if info is None or info.used_overridden:
            return None
        if info.external:
            here = provided_at(provided, type_name)
            if here is None or field_name not in here:
                return None
        if self._overridden_away(type_name, field_name, graph):
            return None
        return info

    def is_local(
        self, graph: str, type_name: str, field_name: str, provided: Provided | None
    ) -> bool:
        """Whether ``graph`` resolves the field without an entity fetch (no ``@requires``)."""
        if field_name == "__typename":
            return True
        info = self.field_info(graph, type_name, field_name, provided)
        return info is not None and (info.requires is None or info.external)

    def locally_resolvable(
        self,
        graph: str,
        type_name: str,
        selections: tuple[Selection, ...],
        provided: Provided | None,
    ) -> bool:
        """Whether ``graph`` resolves all of ``selections`` on ``type_name`` by itself."""
        types = self.supergraph.types
        for selection in selections:
            if isinstance(selection, InlineFragment):
                condition = selection.type_condition or type_name
                if condition not in types or graph not in types[condition].graphs:
                    return False
                if not self.locally_resolvable(
                    graph, condition, selection.selections, provided_at(provided, condition)
                ):
                    return False
                continue
            if not self.is_local(graph, type_name, selection.name, provided):
                return False
            if selection.selections:
                field_def = types[type_name].fields[selection.name]
                info = self.field_info(graph, type_name, selection.name, provided)
                sub = provided_at(provided, type_name)
                nested = sub.get(selection.name) if sub is not None else None
                if info is not None and info.provides:
                    nested = provided_from(self.field_set(info.provides))
                if not self.locally_resolvable(
                    graph, field_def.type_name, selection.selections, nested
                ):
                    return False
        return True

    def interfaces_of(self, type_name: str) -> list[str]:
        """Interfaces ``type_name`` implements in the supergraph."""
        found: set[str] = set()
        for interfaces in self.supergraph.types[type_name].implements.values():
            found |= interfaces
        return sorted(found)

    def targets(self, type_name: str, field_name: str) -> list[Target]:
        """Subgraphs that resolve ``field_name`` of ``type_name`` entities, with usable keys."""
        cache_key = (type_name, field_name, "")
        found = self._targets.get(cache_key)
        if found is not None:
            return found
        result: list[Target] = []
        types = self.supergraph.types
        type_def = types[type_name]
        for graph in self.graph_order:
            if self.field_info(graph, type_name, field_name, None) is None:
                continue
            in_graph = type_def.graphs.get(graph)
            if in_graph is None:
                continue
            keys = tuple(k for k in in_graph.keys if k.resolvable)
            if keys:
                result.append(Target(graph, type_name, keys))
        if type_def.kind == "OBJECT":
            for interface in self.interfaces_of(type_name):
                for graph in self.graph_order:
                    in_graph = types[interface].graphs.get(graph)
                    if in_graph is None or not in_graph.is_interface_object:
                        continue
                    if any(t.graph == graph for t in result):
                        continue
                    if self.field_info(graph, interface, field_name, None) is None:
                        continue
                    keys = tuple(k for k in in_graph.keys if k.resolvable)
                    if keys:
                        result.append(Target(graph, interface, keys))
        self._targets[cache_key] = result
        return result

    def typename_targets(self, interface: str) -> list[Target]:
        """Subgraphs that know the real implementations of ``interface`` and resolve it by key."""
        result: list[Target] = []
        for graph in self.graph_order:
            in_graph = self.supergraph.types[interface].graphs.get(graph)
            if in_graph is None or in_graph.is_interface_object:
                continue
            keys = tuple(k for k in in_graph.keys if k.resolvable)
            if keys:
                result.append(Target(graph, interface, keys))
        return result

    def entity_keys(self, graph: str, type_name: str) -> tuple[KeyDef, ...]:
        """Resolvable keys of ``type_name`` in ``graph``."""
        in_graph = self.supergraph.types[type_name].graphs.get(graph)
        if in_graph is None:
            return ()
        return tuple(k for k in in_graph.keys if k.resolvable)
