"""Fetch groups: the planner's mutable working state, one per future :class:`Fetch`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from gateway.planning._selection_set import MSelectionSet
from gateway.planning.nodes import InputField, InputSelection

__all__ = ["FetchGroup", "MInput", "dependencies", "group_levels"]


class MInput:
    """A representation under construction: fields by output key, extra fields per type."""

    __slots__ = ("by_type", "fields", "with_typename")

    def __init__(self) -> None:
        self.fields: dict[str, tuple[str, MInput | None]] = {}
        self.by_type: dict[str, MInput] = {}
        self.with_typename = False

    def merge(self, other: MInput) -> None:
        """Add everything of ``other``."""
        self.with_typename = self.with_typename or other.with_typename
        for out_key, (data_key, sub) in other.fields.items():
            existing = self.fields.get(out_key)
            if existing is None:
                self.fields[out_key] = (data_key, sub)
            elif sub is not None:
                if existing[1] is None:
                    self.fields[out_key] = (data_key, sub)
                else:
                    existing[1].merge(sub)
        for type_name, sub in other.by_type.items():
            self.by_type.setdefault(type_name, MInput()).merge(sub)

    def conflicts(self, other: MInput) -> bool:
        """Whether ``other`` reads a field of the same name from different data."""
        for out_key, (data_key, sub) in other.fields.items():
            existing = self.fields.get(out_key)
            if existing is None:
                continue
            if existing[0] != data_key:
                return True
            if existing[1] is not None and sub is not None and existing[1].conflicts(sub):
                return True
        for type_name, sub in other.by_type.items():
            mine = self.by_type.get(type_name)
            if mine is not None and mine.conflicts(sub):
                return True
        return False

    def _frozen_fields(self) -> tuple[InputField, ...]:
        return tuple(
            InputField(out_key, data_key, sub.freeze() if sub is not None else None)
            for out_key, (data_key, sub) in self.fields.items()
        )

    def freeze(self) -> InputSelection:
        """The immutable plan form."""
        return InputSelection(
            fields=self._frozen_fields(),
            by_type=tuple(
                (type_name, sub._frozen_fields()) for type_name, sub in sorted(self.by_type.items())
            ),
            with_typename=self.with_typename,
        )


@dataclass(eq=False)
class FetchGroup:
    """Everything one subgraph fetch will select, and what it waits for."""

    id: int
    graph: str
    merge_path: tuple[str, ...]
    is_entity: bool
    operation_kind: Literal["query", "mutation"] = "query"
    phase: int = 0
    selection: MSelectionSet = field(default_factory=MSelectionSet)
    #: runtime ``__typename`` -> (``__typename`` to send, representation fields)
    inputs: dict[str, tuple[str, MInput]] = field(default_factory=dict)
    depends_on: set[int] = field(default_factory=set)

    def add_input(self, runtime_type: str, send_type: str, representation: MInput) -> None:
        """Build representations of ``runtime_type`` objects with ``representation``."""
        existing = self.inputs.get(runtime_type)
        if existing is None:
            merged = MInput()
            merged.merge(representation)
            self.inputs[runtime_type] = (send_type, merged)
        else:
            existing[1].merge(representation)


def dependencies(groups: Iterable[FetchGroup]) -> dict[int, frozenset[int]]:
    """Group id -> the ids of the other ``groups`` it waits for (unknown ids are dropped)."""
    listed = list(groups)
    known = {g.id for g in listed}
    return {g.id: frozenset(d for d in g.depends_on if d != g.id and d in known) for g in listed}


def group_levels(depends: Mapping[int, Iterable[int]]) -> dict[int, int]:
    """The plan step of every group: 0 without dependencies, else one after its latest one."""
    levels: dict[int, int] = {}

    def level(group_id: int) -> int:
        found = levels.get(group_id)
        if found is None:
            found = 1 + max((level(d) for d in depends[group_id]), default=-1)
            levels[group_id] = found
        return found

    for group_id in depends:
        level(group_id)
    return levels
