"""Walking merge paths, building representations, and merging subgraph data in place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gateway.planning.nodes import EntityInput, InputField, InputSelection

if TYPE_CHECKING:
    from gateway.execution.program import PathTrie

__all__ = ["build_representation", "collect", "collect_paths", "collect_with_paths", "deep_merge"]

_MISSING = object()


def collect(root: dict[str, Any], path: tuple[str, ...]) -> list[dict[str, Any]]:
    """The objects found at ``path`` (``@`` steps into lists), nulls skipped."""
    current: list[Any] = [root]
    for step in path:
        current = _step(current, step)
    return [value for value in current if value.__class__ is dict]


def _step(current: list[Any], step: str) -> list[Any]:
    """The values one path step below ``current``: list items for ``@``, else the non-null
    values of field ``step`` of the objects."""
    following: list[Any] = []
    if step == "@":
        extend = following.extend
        for value in current:
            if value.__class__ is list:
                extend(value)
    else:
        append = following.append
        for value in current:
            if value.__class__ is dict:
                item = value.get(step)
                if item is not None:
                    append(item)
    return following


def collect_paths(
    root: dict[str, Any], trie: PathTrie
) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """:func:`collect` for every path of ``trie`` in one walk (shared prefixes walked once)."""
    found: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    _walk([root], trie, found)
    return found


def _walk(
    current: list[Any], trie: PathTrie, found: dict[tuple[str, ...], list[dict[str, Any]]]
) -> None:
    if trie.path is not None:
        found[trie.path] = [value for value in current if value.__class__ is dict]
    for step, child in trie.children:
        following = _step(current, step)
        if following:
            _walk(following, child, found)


def collect_with_paths(
    root: dict[str, Any], path: tuple[str, ...]
) -> list[tuple[dict[str, Any], list[str | int]]]:
    """Like :func:`collect`, with each object's response path (for errors)."""
    current: list[tuple[Any, list[str | int]]] = [(root, [])]
    for step in path:
        following: list[tuple[Any, list[str | int]]] = []
        for value, at in current:
            if step == "@":
                if isinstance(value, list):
                    following.extend(
                        (item, [*at, index]) for index, item in enumerate(value) if item is not None
                    )
            elif isinstance(value, dict):
                item = value.get(step)
                if item is not None:
                    following.append((item, [*at, step]))
        current = following
    return [(value, at) for value, at in current if isinstance(value, dict)]


def _read(value: Any, selection: InputSelection) -> Any:
    if isinstance(value, list):
        return [_read(item, selection) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    if selection.with_typename and "__typename" in value:
        out["__typename"] = value["__typename"]
    if not _read_fields(value, selection.fields, out):
        return None
    if selection.by_type:
        runtime = value.get("__typename")
        for type_name, fields in selection.by_type:
            if type_name == runtime:
                _read_fields(value, fields, out)
    return out


def _read_fields(
    value: dict[str, Any], fields: tuple[InputField, ...], out: dict[str, Any]
) -> bool:
    for field in fields:
        item = value.get(field.data_key, _MISSING)
        if item is _MISSING:
            return False
        if field.selection is not None and item is not None:
            item = _read(item, field.selection)
        out[field.out_key] = item
    return True


def build_representation(value: dict[str, Any], entity_input: EntityInput) -> dict[str, Any] | None:
    """The representation of ``value`` for an ``_entities`` fetch, ``None`` when incomplete."""
    representation: dict[str, Any] = {"__typename": entity_input.send_type}
    selection = entity_input.selection
    if not _read_fields(value, selection.fields, representation):
        return None
    if selection.by_type:
        runtime = value.get("__typename")
        for type_name, fields in selection.by_type:
            if type_name == runtime:
                _read_fields(value, fields, representation)
    return representation


def deep_merge(target: dict[str, Any], source: dict[str, Any], abstract: frozenset[str]) -> None:
    """Merge ``source`` into ``target`` in place (objects recursively, lists item by item).

    A ``__typename`` naming an abstract type (from an ``@interfaceObject`` subgraph) never
    replaces a concrete one.
    """
    for key, value in source.items():
        existing = target.get(key, _MISSING)
        if existing is _MISSING or existing is None:
            target[key] = value
        elif isinstance(existing, dict):
            if isinstance(value, dict):
                deep_merge(existing, value, abstract)
        elif isinstance(existing, list):
            if isinstance(value, list) and len(value) == len(existing):
                _merge_lists(existing, value, abstract)
            else:
                target[key] = value
        elif key == "__typename":
            if value not in abstract:
                target[key] = value
        else:
            target[key] = value


def _merge_lists(existing: list[Any], value: list[Any], abstract: frozenset[str]) -> None:
    for index, item in enumerate(value):
        current = existing[index]
        if isinstance(current, dict) and isinstance(item, dict):
            deep_merge(current, item, abstract)
        elif isinstance(current, list) and isinstance(item, list) and len(current) == len(item):
            _merge_lists(current, item, abstract)
        else:
            existing[index] = item
