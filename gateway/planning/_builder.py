"""The plan builder: walks the normalized operation and fills fetch groups.

Fields stay in the subgraph of the current fetch while it can resolve them (``@shareable``,
``@provides``); the others are fetched by entity jumps through a key the current subgraph can
provide; ``@requires`` fields are fetched after the fields they require, which travel in the
representations; abstract types are kept as they are when the subgraph resolves everything at
the interface level, and otherwise split into one fragment per possible runtime type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from gateway.planning._groups import FetchGroup, MInput
from gateway.planning._resolution import (
    Provided,
    Resolution,
    Target,
    provided_at,
    provided_from,
)
from gateway.planning._selection_set import MSelectionSet, internal_alias
from gateway.planning.operation import Field, InlineFragment, Selection
from gateway.supergraph.model import Supergraph

__all__ = ["PlanBuilder", "PlanningError"]

_INF = 10**9
_MAX_DEPTH = 64


class PlanningError(Exception):
    """The operation cannot be planned over this supergraph (code ``QUERY_PLANNING_FAILED``)."""

    code = "QUERY_PLANNING_FAILED"


def list_depth(type_str: str) -> int:
    """How many lists wrap the named type of a printed type reference."""
    return type_str.count("[")


class PlanBuilder:
    """Builds the fetch groups of one operation (one instance per planning run)."""

    def __init__(self, supergraph: Supergraph, resolution: Resolution) -> None:
        self.supergraph = supergraph
        self.types = supergraph.types
        self.res = resolution
        self.groups: list[FetchGroup] = []
        self._children: dict[object, FetchGroup] = {}
        self._depth = 0
        #: (parent type, field) of the local fields above the current position
        self._trail: list[tuple[str, str]] = []
        self._estimates: dict[tuple[str, str, int], int] = {}

    # ------------------------------------------------------------------ groups
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

    def _child(
        self,
        parent: FetchGroup,
        graph: str,
        path: tuple[str, ...],
        deps: set[int],
        fresh: bool,
        tag: int = 0,
    ) -> FetchGroup:
        key: object = (graph, path, parent.id, frozenset(deps) if fresh else None, tag)
        found = self._children.get(key)
        if found is None:
            found = self.new_group(
                graph, path, is_entity=True, phase=parent.phase, depends_on=deps | {parent.id}
            )
            self._children[key] = found
        else:
            found.depends_on |= deps
        return found

    # -------------------------------------------------------------- selections
    def sels_for(
        self, type_name: str, parent: str, selections: Iterable[Selection]
    ) -> list[Selection]:
        """``selections`` (typed ``parent``) that apply to an object of ``type_name``, flattened."""
        result: list[Selection] = []
        for selection in selections:
            if isinstance(selection, Field):
                result.append(selection)
                continue
            condition = selection.type_condition or parent
            if condition in (type_name, parent) or self._applies(type_name, condition):
                result.extend(self.sels_for(type_name, condition, selection.selections))
        return result

    def _applies(self, type_name: str, condition: str) -> bool:
        if condition == type_name:
            return True
        condition_def = self.types.get(condition)
        if condition_def is None:
            return False
        if condition_def.is_abstract:
            if self.types[type_name].is_abstract:
                return bool(
                    self.supergraph.possible_types(type_name)
                    & self.supergraph.possible_types(condition)
                )
            return type_name in self.supergraph.possible_types(condition)
        return False

    def plan(
        self,
        group: FetchGroup,
        msel: MSelectionSet,
        type_name: str,
        selections: Sequence[Selection],
        path: tuple[str, ...],
        provided: Provided | None,
        deps: set[int] | None,
        *,
        requires_satisfied: bool = False,
    ) -> None:
        """Plan ``selections`` on ``type_name`` at ``path`` inside ``group``."""
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH:
                raise PlanningError("the operation needs too many nested entity fetches")
            type_def = self.types[type_name]
            if type_def.is_abstract:
                self._plan_abstract(
                    group, msel, type_name, selections, path, provided, deps, requires_satisfied
                )
            else:
                self._plan_object(
                    group, msel, type_name, selections, path, provided, deps, requires_satisfied
                )
        finally:
            self._depth -= 1

    def _plan_object(
        self,
        group: FetchGroup,
        msel: MSelectionSet,
        type_name: str,
        selections: Sequence[Selection],
        path: tuple[str, ...],
        provided: Provided | None,
        deps: set[int] | None,
        requires_satisfied: bool,
    ) -> None:
        fields = [
            s for s in self.sels_for(type_name, type_name, selections) if isinstance(s, Field)
        ]
        remote: list[Field] = []
        for selection in fields:
            if selection.name == "__typename":
                if path:
                    msel.add_typename()
                continue
            if selection.name.startswith("__"):
                continue
            local = self.res.is_local(group.graph, type_name, selection.name, provided)
            if not local and requires_satisfied:
                info = self.res.field_info(group.graph, type_name, selection.name, provided)
                local = info is not None
            if local and selection.selections and path:
                kept, moved = self._split_unreachable(group.graph, type_name, selection, provided)
                if moved is not None:
                    remote.append(moved)
                if kept is None:
                    continue
                selection = kept
            if local:
                self.add_local(group, msel, type_name, selection, path, provided, deps)
            else:
                remote.append(selection)
        if remote:
            if not path:
                raise PlanningError(
                    f"cannot resolve {type_name}.{remote[0].name} from subgraph "
                    f"{self.supergraph.subgraphs[group.graph].name}"
                )
            self.jump(group, msel, type_name, remote, path, provided, deps, selections)

    def _split_unreachable(
        self, graph: str, type_name: str, selection: Field, provided: Provided | None
    ) -> tuple[Field | None, Field | None]:
        """Split off the part of a local field's selection that ``graph`` cannot reach.

        What no entity jump can reach from inside the field (a type without keys there) is
        fetched with the field itself from another subgraph, through the parent's key.
        """
        field_def = self.types[type_name].fields[selection.name]
        here = provided_at(provided, type_name)
        nested: Provided | None = here.get(selection.name) if here is not None else None
        info = self.res.field_info(graph, type_name, selection.name, provided)
        if info is not None and info.provides:
            nested = {**(nested or {}), **provided_from(self.res.field_set(info.provides))}
        sub = selection.selections or ()
        if self.estimate(graph, field_def.type_name, sub, nested, 0) < _INF:
            return selection, None
        if not self.res.targets(type_name, selection.name):
            return selection, None
        if self.types[field_def.type_name].is_abstract:
            return None, selection
        reachable: list[Selection] = []
        unreachable: list[Selection] = []
        for item in self.sels_for(field_def.type_name, field_def.type_name, sub):
            cost = self.estimate(graph, field_def.type_name, (item,), nested, 0)
            (reachable if cost < _INF else unreachable).append(item)
        moved = Field(selection.name, selection.alias, selection.arguments, tuple(unreachable))
        if not reachable:
            return None, moved
        kept = Field(selection.name, selection.alias, selection.arguments, tuple(reachable))
        return kept, moved

    def add_local(
        self,
        group: FetchGroup,
        msel: MSelectionSet,
        type_name: str,
        selection: Field,
        path: tuple[str, ...],
        provided: Provided | None,
        deps: set[int] | None,
    ) -> None:
        """Select ``selection`` in ``group`` itself and plan its sub-selection from there."""
        field_def = self.types[type_name].fields[selection.name]
        child_def = self.types.get(field_def.type_name)
        composite = child_def is not None and child_def.is_composite
        info = self.res.field_info(group.graph, type_name, selection.name, provided)
        mfield = msel.add_field(
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
        if deps is not None:
            deps.add(group.id)
        if not composite or selection.selections is None or mfield.selection is None:
            return
        here = provided_at(provided, type_name)
        nested: Provided | None = here.get(selection.name) if here is not None else None
        if info is not None and info.provides:
            extra = provided_from(self.res.field_set(info.provides))
            nested = {**(nested or {}), **extra}
        sub_path = (*path, mfield.response_key, *(["@"] * list_depth(field_def.type_str)))
        sub_type = field_def.type_name
        if info is not None and info.type is not None:
            graph_type = info.type.strip("[]!")
            if graph_type in self.types:
                sub_type = graph_type  # the subgraph's own, narrower type
        self._trail.append((type_name, selection.name))
        try:
            self._plan_sub(group, mfield.selection, sub_type, selection, sub_path, nested, deps)
        finally:
            self._trail.pop()

    def _plan_sub(
        self,
        group: FetchGroup,
        msel: MSelectionSet,
        sub_type: str,
        selection: Field,
        sub_path: tuple[str, ...],
        nested: Provided | None,
        deps: set[int] | None,
    ) -> None:
        assert selection.selections is not None
        self.plan(
            group,
            msel,
            sub_type,
            selection.selections,
            sub_path,
            nested,
            deps,
        )

    # ----------------------------------------------------------- abstract types
    def _plan_abstract(
        self,
        group: FetchGroup,
        msel: MSelectionSet,
        type_name: str,
        selections: Sequence[Selection],
        path: tuple[str, ...],
        provided: Provided | None,
        deps: set[int] | None,
        requires_satisfied: bool = False,
    ) -> None:
        in_graph = self.types[type_name].graphs.get(group.graph)
        if in_graph is not None and in_graph.is_interface_object:
            self._plan_interface_object(
                group, msel, type_name, selections, path, provided, deps, requires_satisfied
            )
            return
        possible = sorted(
            self.supergraph.possible_types(type_name, group.graph)
            & self.supergraph.possible_types(type_name)
            & self._members_safe_on_path(type_name)
        )
        msel.add_typename()
        if deps is not None:
            deps.add(group.id)
        if self._abstract_local(group.graph, type_name, selections, provided, possible):
            self._plan_abstract_as_is(
                group, msel, type_name, selections, path, provided, deps, frozenset(possible)
            )
            return
        if not possible:
            for selection in selections:
                if (
                    isinstance(selection, Field)
                    and not selection.name.startswith("__")
                    and not self.res.is_local(group.graph, type_name, selection.name, provided)
                ):
                    raise PlanningError(
                        f"no subgraph can resolve {type_name}.{selection.name} reached from "
                        f"{self.supergraph.subgraphs[group.graph].name}"
                    )
        for runtime_type in possible:
            applicable = self.sels_for(runtime_type, type_name, selections)
            if applicable:
                self.plan(
                    group,
                    msel.fragment(runtime_type),
                    runtime_type,
                    applicable,
                    path,
                    provided_at(provided, runtime_type),
                    deps,
                )

    def _members_safe_on_path(self, type_name: str) -> frozenset[str]:
        """Union members every subgraph able to resolve the current path knows.

        Below an entity, a path of shareable fields could be resolved by any subgraph that has
        the entity and the path; only the members common to all of them are safe to select.
        """
        everything = self.supergraph.possible_types(type_name)
        if self.types[type_name].kind != "UNION" or not self._trail:
            return everything
        steps: list[tuple[str, str]] = []
        entity = None
        for parent, field_name in reversed(self._trail):
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

    def _plan_abstract_as_is(
        self,
        group: FetchGroup,
        msel: MSelectionSet,
        type_name: str,
        selections: Sequence[Selection],
        path: tuple[str, ...],
        provided: Provided | None,
        deps: set[int] | None,
        possible: frozenset[str],
    ) -> None:
        for selection in selections:
            if isinstance(selection, Field):
                if not selection.name.startswith("__"):
                    self.add_local(group, msel, type_name, selection, path, provided, deps)
                continue
            condition = selection.type_condition or type_name
            if condition == type_name:
                self._plan_abstract_as_is(
                    group, msel, type_name, selection.selections, path, provided, deps, possible
                )
            elif (
                self._spreadable(group.graph, condition, possible)
                and group.graph in self.types[condition].graphs
            ):
                self.plan(
                    group,
                    msel.fragment(condition),
                    condition,
                    selection.selections,
                    path,
                    provided_at(provided, condition),
                    deps,
                )

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
        self,
        group: FetchGroup,
        msel: MSelectionSet,
        interface: str,
        selections: Sequence[Selection],
        path: tuple[str, ...],
        provided: Provided | None,
        deps: set[int] | None,
        requires_satisfied: bool = False,
    ) -> None:
        """The subgraph sees ``interface`` as an object type: concrete types need another one."""
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
                elif self.res.is_local(group.graph, interface, selection.name, provided) or (
                    requires_satisfied
                    and self.res.field_info(group.graph, interface, selection.name, provided)
                    is not None
                ):
                    local.append(selection)
                else:
                    remote.append(selection)

        walk(selections)
        for selection in local:
            self.add_local(group, msel, interface, selection, path, provided, deps)
        if remote:
            self.jump(group, msel, interface, remote, path, provided, deps, selections)
        if needs_real:
            targets = self.res.typename_targets(interface)
            if not targets:
                raise PlanningError(f"no subgraph resolves the implementations of {interface}")
            self._jump_to(
                group,
                msel,
                interface,
                targets[0],
                [Field("__typename"), *needs_real],
                path,
                provided,
                deps,
                selections,
            )

    # ------------------------------------------------------------ entity jumps
    def jump(
        self,
        group: FetchGroup,
        msel: MSelectionSet,
        type_name: str,
        fields: list[Field],
        path: tuple[str, ...],
        provided: Provided | None,
        deps: set[int] | None,
        user_selections: Sequence[Selection],
    ) -> None:
        """Fetch ``fields`` of the ``type_name`` objects at ``path`` from other subgraphs."""
        options: list[list[tuple[Target, int]]] = []
        fields = self._expand_unresolvable(type_name, fields)
        for selection in fields:
            found: list[tuple[Target, int]] = []
            for target in self.res.targets(type_name, selection.name):
                cost = self.estimate_field(target.graph, target.entity_type, selection)
                if cost < _INF:
                    found.append((target, cost))
            if not found:
                raise PlanningError(
                    f"no subgraph can resolve {type_name}.{selection.name} reached from "
                    f"{self.supergraph.subgraphs[group.graph].name}"
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
                if any(key[0] == graph and key[2] == group.id for key in self._keys_of(path)):
                    score[1] = 1
                if any(
                    self.res.locally_resolvable(
                        group.graph, type_name, self.res.field_set(k.fields), provided
                    )
                    for k in self.res.entity_keys(graph, self._entity_type(type_name, graph))
                ):
                    score[2] = 1
            best = max(scores, key=lambda g: (*scores[g], -order.index(g)))
            chosen = [i for i in pending if any(t.graph == best for t, _ in options[i])]
            target = next(t for t, _ in options[chosen[0]] if t.graph == best)
            self._jump_to(
                group,
                msel,
                type_name,
                target,
                [fields[i] for i in chosen],
                path,
                provided,
                deps,
                user_selections,
            )
            pending = [i for i in pending if i not in chosen]

    def _has_local_key(
        self, graph: str, type_name: str, target: Target, provided: Provided | None
    ) -> bool:
        return any(
            self.res.locally_resolvable(graph, type_name, self.res.field_set(k.fields), provided)
            for k in target.keys
        )

    def _expand_unresolvable(self, type_name: str, fields: list[Field]) -> list[Field]:
        """Split composite fields no single subgraph resolves whole into one field per subfield."""
        result: list[Field] = []
        for selection in fields:
            if selection.selections and not any(
                self.estimate_field(t.graph, t.entity_type, selection) < _INF
                for t in self.res.targets(type_name, selection.name)
            ):
                field_type = self.types[type_name].fields[selection.name].type_name
                if not self.types[field_type].is_abstract:
                    for item in self.sels_for(field_type, field_type, selection.selections):
                        result.append(
                            Field(selection.name, selection.alias, selection.arguments, (item,))
                        )
                    continue
            result.append(selection)
        return result

    def _keys_of(self, path: tuple[str, ...]) -> list[tuple[object, ...]]:
        return [k for k in self._children if isinstance(k, tuple) and k[1] == path]

    def _entity_type(self, type_name: str, graph: str) -> str:
        if graph in self.types[type_name].graphs:
            return type_name
        for interface in self.res.interfaces_of(type_name):
            in_graph = self.types[interface].graphs.get(graph)
            if in_graph is not None and in_graph.is_interface_object:
                return interface
        return type_name

    def _jump_to(
        self,
        group: FetchGroup,
        msel: MSelectionSet,
        type_name: str,
        target: Target,
        fields: list[Selection],
        path: tuple[str, ...],
        provided: Provided | None,
        deps: set[int] | None,
        user_selections: Sequence[Selection],
    ) -> None:
        user_keys = _user_keys(user_selections)
        key_input, key_deps = self._key_input(
            group, msel, type_name, target, path, provided, user_keys
        )
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
        runtime_types = [type_name]
        if self.types[type_name].is_abstract:
            runtime_types += sorted(self.supergraph.possible_types(type_name))
        if plain:
            child = self._child(group, target.graph, path, key_deps, fresh=False)
            for runtime_type in runtime_types:
                child.add_input(runtime_type, target.entity_type, key_input)
            self.plan(
                child,
                child.selection.fragment(target.entity_type),
                target.entity_type,
                plain,
                path,
                None,
                deps,
            )
        if with_requires:
            self._jump_with_requires(
                group,
                msel,
                type_name,
                target,
                with_requires,
                path,
                provided,
                deps,
                (key_input, key_deps),
                user_keys,
                runtime_types,
            )

    def _jump_with_requires(
        self,
        group: FetchGroup,
        msel: MSelectionSet,
        type_name: str,
        target: Target,
        with_requires: list[tuple[Field, str]],
        path: tuple[str, ...],
        provided: Provided | None,
        deps: set[int] | None,
        key: tuple[MInput, set[int]],
        user_keys: dict[str, tuple[str, str]],
        runtime_types: list[str],
    ) -> None:
        """Fetch the required fields first, then ``@requires`` fields with them.

        Fields whose representations would disagree (the same field required with different
        arguments) go to separate fetches.
        """
        key_input, key_deps = key
        batches: list[tuple[MInput, set[int], list[Selection]]] = []
        for selection, requires in with_requires:
            required = internalize(self.res.field_set(requires), user_keys)
            required_deps = set(key_deps)
            self.plan(group, msel, type_name, required, path, provided, required_deps)
            representation = MInput()
            representation.merge(key_input)
            representation.merge(self.input_of(type_name, required))
            for batch in batches:
                if not batch[0].conflicts(representation):
                    batch[0].merge(representation)
                    batch[1].update(required_deps)
                    batch[2].append(selection)
                    break
            else:
                batches.append((representation, required_deps, [selection]))
        for index, (representation, required_deps, selections) in enumerate(batches):
            # no dependency beyond the key's: the same fetch as the plain fields (one call)
            fresh = bool(required_deps - key_deps) or index > 0
            child = self._child(group, target.graph, path, required_deps, fresh=fresh, tag=index)
            for runtime_type in runtime_types:
                child.add_input(runtime_type, target.entity_type, representation)
            self.plan(
                child,
                child.selection.fragment(target.entity_type),
                target.entity_type,
                selections,
                path,
                None,
                deps,
                requires_satisfied=True,
            )

    def _key_input(
        self,
        group: FetchGroup,
        msel: MSelectionSet,
        type_name: str,
        target: Target,
        path: tuple[str, ...],
        provided: Provided | None,
        user_keys: dict[str, tuple[str, str]],
    ) -> tuple[MInput, set[int]]:
        chosen = None
        for key in target.keys:
            field_set = self.res.field_set(key.fields)
            if self.res.locally_resolvable(group.graph, type_name, field_set, provided):
                chosen = field_set
                break
        if chosen is None:
            chosen = self.res.field_set(target.keys[0].fields)
        selections = internalize(chosen, user_keys)
        key_deps: set[int] = {group.id}
        msel.add_typename()
        self.plan(group, msel, type_name, selections, path, provided, key_deps)
        return self.input_of(type_name, selections), key_deps

    def input_of(self, type_name: str, selections: Sequence[Selection]) -> MInput:
        """The representation fields that read ``selections`` back from the merged data."""
        result = MInput()
        for selection in selections:
            if isinstance(selection, InlineFragment):
                inner = self.input_of(selection.type_condition or type_name, selection.selections)
                if selection.type_condition and selection.type_condition != type_name:
                    for runtime in sorted(self.supergraph.possible_types(selection.type_condition)):
                        result.by_type.setdefault(runtime, MInput()).merge(inner)
                    result.with_typename = True
                else:
                    result.merge(inner)
                continue
            if selection.name == "__typename":
                result.with_typename = True
                continue
            sub = None
            if selection.selections:
                field_type = self.types[type_name].fields[selection.name].type_name
                sub = self.input_of(field_type, selection.selections)
                if self.types[field_type].is_abstract:
                    sub.with_typename = True
            result.fields[selection.name] = (selection.response_key, sub)
        return result

    # --------------------------------------------------------------- estimates
    def estimate_field(self, graph: str, type_name: str, selection: Field) -> int:
        """Rough count of extra fetches to resolve ``selection`` starting in ``graph``."""
        field_def = self.types[type_name].fields.get(selection.name)
        if field_def is None:
            return _INF
        info = self.res.field_info(graph, type_name, selection.name, None)
        if info is None:
            return _INF
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
        if depth > 6:
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
                    self.sels_for(runtime_type, type_name, selections),
                    provided_at(provided, runtime_type),
                    depth + 1,
                )
                worst = max(worst, cost)
            return worst
        total = 0
        used: set[str] = set()
        for selection in self.sels_for(type_name, type_name, selections):
            if not isinstance(selection, Field) or selection.name.startswith("__"):
                continue
            field_def = type_def.fields.get(selection.name)
            if field_def is None:
                return _INF
            if self.res.is_local(graph, type_name, selection.name, provided):
                if selection.selections:
                    here = provided_at(provided, type_name)
                    nested = here.get(selection.name) if here is not None else None
                    total += self.estimate(
                        graph, field_def.type_name, selection.selections, nested, depth + 1
                    )
                continue
            best = _INF
            best_graph = None
            for target in self.res.targets(type_name, selection.name):
                if not self._has_local_key(graph, type_name, target, provided):
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
                return _INF
            used.add(best_graph)
            total += best
        return min(total, _INF)


def _user_keys(selections: Sequence[Selection]) -> dict[str, tuple[str, str]]:
    """Response key -> (field name, arguments) of the client's fields at one position."""
    keys: dict[str, tuple[str, str]] = {}
    for selection in selections:
        if isinstance(selection, Field):
            keys.setdefault(selection.response_key, (selection.name, selection.arguments_text))
        else:
            keys.update(_user_keys(selection.selections))
    return keys


def internalize(
    selections: Sequence[Selection], user_keys: dict[str, tuple[str, str]] | None = None
) -> tuple[Selection, ...]:
    """Give planner-added fields response keys that cannot clash with the client's."""
    result: list[Selection] = []
    for selection in selections:
        if isinstance(selection, InlineFragment):
            result.append(
                InlineFragment(selection.type_condition, internalize(selection.selections))
            )
            continue
        alias = None
        arguments_text = selection.arguments_text
        if arguments_text:
            alias = internal_alias(selection.name, arguments_text)
        elif user_keys is not None:
            clash = user_keys.get(selection.name)
            if clash is not None and clash != (selection.name, ""):
                alias = internal_alias(selection.name, "")
        result.append(
            Field(
                name=selection.name,
                alias=alias,
                arguments=selection.arguments,
                selections=internalize(selection.selections)
                if selection.selections is not None
                else None,
            )
        )
    return tuple(result)
