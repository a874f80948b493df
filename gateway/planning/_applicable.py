"""Which selections apply to an object of a given type (fragments flattened)."""

from __future__ import annotations

from collections.abc import Iterable

from gateway.planning.operation import Field, Selection
from gateway.supergraph.model import Supergraph

__all__ = ["applicable", "list_depth"]


def list_depth(type_str: str) -> int:
    """How many lists wrap the named type of a printed type reference."""
    return type_str.count("[")


def applicable(
    supergraph: Supergraph, type_name: str, parent: str, selections: Iterable[Selection]
) -> list[Selection]:
    """``selections`` (typed ``parent``) that apply to an object of ``type_name``, flattened."""
    result: list[Selection] = []
    for selection in selections:
        if isinstance(selection, Field):
            result.append(selection)
            continue
        condition = selection.type_condition or parent
        if condition in (type_name, parent) or _applies(supergraph, type_name, condition):
            result.extend(applicable(supergraph, type_name, condition, selection.selections))
    return result


def _applies(supergraph: Supergraph, type_name: str, condition: str) -> bool:
    if condition == type_name:
        return True
    condition_def = supergraph.types.get(condition)
    if condition_def is None:
        return False
    if condition_def.is_abstract:
        if supergraph.types[type_name].is_abstract:
            return bool(supergraph.possible_types(type_name) & supergraph.possible_types(condition))
        return type_name in supergraph.possible_types(condition)
    return False
