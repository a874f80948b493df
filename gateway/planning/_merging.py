"""Merging entity fetches that ask one subgraph about the same objects (ADR 0205).

The builder makes one fetch group per (subgraph, path, parent, extra dependencies): an entity's
fields that need only its key land in one group, its ``@requires`` fields whose required fields
come from a third subgraph in a later one, and two parents reaching the same objects make two
sibling groups. When two such groups go to the same subgraph for the same objects, one
``_entities`` call can carry both. Group ``merged`` joins group ``into`` when:

- both are entity fetches of the same phase, to the same subgraph, at the same merge path;
- they build representations for the same runtime types, each sent under the same
  ``__typename``, and no representation field is read from two different data keys (the merged
  fetch sends the union of both representations, so every object still gets every field each
  fetch selected for it, and no field for a type it was not selected on);
- their selections never put two different fields under one response key;
- neither waits for the other, directly or through other fetches (the merge would be a cycle:
  a fetch waiting for its own output);
- no other fetch runs in a later plan step than before: ``into`` is the one that runs later (on a
  tie, the first one), and whatever waited for ``merged`` must already run after ``into``.

Plans are specialised per ``@skip``/``@include`` values before planning (ADR 0200), so groups
carry no conditions that could differ.
"""

from __future__ import annotations

from collections.abc import Mapping

from gateway.planning._groups import FetchGroup, dependencies, group_levels
from gateway.planning._selection_set import MSelectionSet

__all__ = ["merge_fetch_groups"]

Depends = Mapping[int, frozenset[int]]


def merge_fetch_groups(groups: list[FetchGroup]) -> list[FetchGroup]:
    """Merge what can be merged (groups are changed in place); the groups that remain."""
    remaining = list(groups)
    while True:
        found = _next_merge(remaining)
        if found is None:
            return remaining
        into, merged = found
        _merge(into, merged, remaining)
        remaining.remove(merged)


def _next_merge(groups: list[FetchGroup]) -> tuple[FetchGroup, FetchGroup] | None:
    depends = dependencies(groups)
    levels = group_levels(depends)
    buckets: dict[tuple[int, str, tuple[str, ...]], list[FetchGroup]] = {}
    for group in groups:
        if group.is_entity:
            buckets.setdefault((group.phase, group.graph, group.merge_path), []).append(group)
    for bucket in buckets.values():
        if len(bucket) < 2:
            continue
        bucket.sort(key=lambda g: (levels[g.id], g.id))
        for index, first in enumerate(bucket):
            for second in bucket[index + 1 :]:
                if levels[first.id] < levels[second.id]:
                    into, merged = second, first
                else:
                    into, merged = first, second
                if can_merge(into, merged, depends, levels):
                    return into, merged
    return None


def can_merge(
    into: FetchGroup, merged: FetchGroup, depends: Depends, levels: Mapping[int, int]
) -> bool:
    """Whether ``merged`` can join ``into`` (see the module documentation)."""
    if (
        not (into.is_entity and merged.is_entity)
        or into.id == merged.id
        or (into.phase, into.graph, into.merge_path)
        != (merged.phase, merged.graph, merged.merge_path)
        or into.operation_kind != merged.operation_kind
    ):
        return False
    if not _same_objects(into, merged) or not into.selection.can_absorb(merged.selection):
        return False
    if _waits_for(depends, into.id, merged.id) or _waits_for(depends, merged.id, into.id):
        return False
    after = group_levels(_merged_dependencies(depends, into.id, merged.id))
    return all(after[group_id] == level for group_id, level in levels.items() if group_id in after)


def _same_objects(into: FetchGroup, merged: FetchGroup) -> bool:
    """Same runtime types, same ``__typename`` sent, representations that agree."""
    if into.inputs.keys() != merged.inputs.keys():
        return False
    for runtime_type, (send_type, representation) in merged.inputs.items():
        own_send_type, own = into.inputs[runtime_type]
        if own_send_type != send_type:
            return False
        if own.conflicts(representation) or representation.conflicts(own):
            return False
    return True


def _waits_for(depends: Depends, start: int, target: int) -> bool:
    """Whether ``start`` waits for ``target``, directly or through other groups."""
    seen: set[int] = set()
    stack = list(depends[start])
    while stack:
        current = stack.pop()
        if current == target:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(depends[current])
    return False


def _merged_dependencies(depends: Depends, into: int, merged: int) -> dict[int, frozenset[int]]:
    """The dependencies once ``merged`` is part of ``into``."""
    result: dict[int, frozenset[int]] = {}
    for group_id, waits in depends.items():
        if group_id == merged:
            continue
        if group_id == into:
            waits = waits | depends[merged]
        if merged in waits:
            waits = (waits - {merged}) | {into}
        result[group_id] = waits - {group_id}
    return result


def _merge(into: FetchGroup, merged: FetchGroup, groups: list[FetchGroup]) -> None:
    combined = MSelectionSet()
    for part in sorted((into, merged), key=lambda g: g.id):  # fields in the builder's order
        combined.absorb(part.selection)
    into.selection = combined
    for runtime_type, (send_type, representation) in merged.inputs.items():
        into.add_input(runtime_type, send_type, representation)
    into.depends_on |= merged.depends_on - {merged.id, into.id}
    for group in groups:
        if merged.id in group.depends_on and group is not merged:
            group.depends_on.discard(merged.id)
            group.depends_on.add(into.id)
