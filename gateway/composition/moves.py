"""How the query planner moves between subgraphs: key moves and gathering key selections.

From an object that subgraph ``S`` returned, the planner can fetch the same object from subgraph
``S2`` through a resolvable ``@key`` of ``S2`` if it can gather the key's fields: those ``S``
resolves, and for nested selections those it can reach through further moves. Used by the
satisfiability check.
"""

from __future__ import annotations

from collections import deque

from gateway.composition.fieldset import FieldSetError, Selection, parse_field_set
from gateway.composition.merge.context import MergeContext
from gateway.composition.metadata import fields_argument
from gateway.composition.model import TypeKind
from gateway.composition.typeref import base_name

__all__ = ["ANYWHERE", "ROOT", "Candidate", "Moves"]

ROOT = -1  # root types can be entered in every subgraph
Candidate = tuple[int, frozenset[str]]  # (subgraph, coordinates made local by @provides)
ANYWHERE: frozenset[Candidate] = frozenset({(ROOT, frozenset())})
Move = tuple[str, int]  # (type, target subgraph) of a key move being evaluated


class Moves:
    """Key moves between the subgraphs of one composition."""

    def __init__(self, ctx: MergeContext) -> None:
        self.ctx = ctx
        self.count = len(ctx.subgraphs)

    def local(self, index: int, type_name: str, field_name: str, provided: frozenset[str]) -> bool:
        f = self.ctx.schema(index).field(type_name, field_name)
        if f is None:
            return False
        return not self.ctx.metadata(index).is_external(f) or f.coordinate in provided

    def keys(self, index: int, type_name: str) -> tuple[list[str], str]:
        """Resolvable key field sets of ``type_name`` in a subgraph, or why there are none."""
        owner = self.ctx.schema(index).type(type_name)
        name = self.ctx.names[index]
        keys = owner.applied("key") if owner is not None else []
        if not keys:
            return [], f'type "{type_name}" has no @key defined in subgraph "{name}"'
        texts = [
            text
            for key in keys
            if key.value("resolvable") is not False and (text := fields_argument(key)) is not None
        ]
        if not texts:
            why = f'none of the @key defined on type "{type_name}" in subgraph "{name}"'
            return [], why + " are resolvable"
        return texts, ""

    def gatherable(
        self,
        index: int,
        type_name: str,
        selections: list[Selection],
        provided: frozenset[str],
        moving: frozenset[Move],
    ) -> bool:
        """Whether a key selection can be gathered starting in subgraph ``index``."""
        for selection in selections:
            if selection.is_typename:
                continue
            if selection.name is None:
                target = selection.type_condition or type_name
                if not self.gatherable(index, target, selection.children or [], provided, moving):
                    return False
                continue
            sources = self.reachable(type_name, (index, provided), moving)
            holders = [i for i, p in sources.items() if self.local(i, type_name, selection.name, p)]
            if not holders:
                return False
            if selection.children is not None and selection.definition is not None:
                child = base_name(selection.definition.type)
                if not any(
                    self.gatherable(i, child, selection.children, sources[i], moving)
                    for i in holders
                ):
                    return False
        return True

    def can_move(
        self,
        source: int,
        type_name: str,
        target: int,
        provided: frozenset[str],
        moving: frozenset[Move],
    ) -> bool:
        if (type_name, target) in moving:
            return False
        texts, _ = self.keys(target, type_name)
        for text in texts:
            try:
                selections = parse_field_set(self.ctx.merged, type_name, text, validate=False)
            except FieldSetError:
                continue
            inner = moving | {(type_name, target)}
            if self.gatherable(source, type_name, selections, provided, inner):
                return True
        return False

    def reachable(
        self, type_name: str, candidate: Candidate, moving: frozenset[Move] = frozenset()
    ) -> dict[int, frozenset[str]]:
        """Subgraphs the planner can be in from ``candidate``, with what is provided there."""
        start, provided = candidate
        if start == ROOT:
            return dict.fromkeys(range(self.count), frozenset())
        seen = {start: provided}
        frontier = deque([start])
        while frontier:
            source = frontier.popleft()
            for target in range(self.count):
                if target in seen:
                    continue
                if self.can_move(source, type_name, target, seen[source], moving):
                    seen[target] = frozenset()
                    frontier.append(target)
        return seen

    def requirements_met(
        self, index: int, type_name: str, field_name: str, candidate: Candidate
    ) -> bool:
        """Whether the ``@requires`` of the field in subgraph ``index`` can be gathered."""
        if candidate[0] == ROOT:
            return True
        own = self.ctx.schema(index).field(type_name, field_name)
        for requires in own.applied("requires") if own is not None else []:
            text = fields_argument(requires)
            if text is None:
                continue
            try:
                selections = parse_field_set(self.ctx.merged, type_name, text, validate=False)
            except FieldSetError:
                return False
            start, provided = candidate
            if not self.gatherable(start, type_name, selections, provided, frozenset()):
                return False
        return True

    def runtime_types(self, index: int, type_name: str) -> list[str]:
        schema = self.ctx.schema(index)
        owner = schema.type(type_name)
        if owner is None:
            return []
        if owner.kind is TypeKind.OBJECT:
            return [type_name]
        return [t.name for t in schema.possible_types(type_name)]

    def is_interface_object(self, index: int, type_name: str) -> bool:
        own = self.ctx.schema(index).type(type_name)
        return own is not None and self.ctx.metadata(index).is_interface_object(own)
