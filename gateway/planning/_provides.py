"""What a ``@provides`` makes resolvable below a field, as a small tree."""

from __future__ import annotations

from collections.abc import Callable

from gateway.planning.operation import Field, Selection
from gateway.supergraph.model import FieldInGraph

__all__ = ["Provided", "provided_at", "provided_from", "provided_inside"]

#: fields a ``@provides`` makes resolvable: name -> nested, ``...Type`` -> fields on that type
Provided = dict[str, "Provided"]


def provided_from(selections: tuple[Selection, ...]) -> Provided:
    """The :data:`Provided` tree of a parsed ``@provides`` field set."""
    tree: Provided = {}
    for selection in selections:
        if isinstance(selection, Field):
            sub = provided_from(selection.selections or ())
            tree.setdefault(selection.name, {}).update(sub)
        elif selection.type_condition is None:
            tree.update(provided_from(selection.selections))
        else:
            tree.setdefault("..." + selection.type_condition, {}).update(
                provided_from(selection.selections)
            )
    return tree


def provided_at(provided: Provided | None, type_name: str) -> Provided | None:
    """The provided fields applying to an object of ``type_name``."""
    if provided is None:
        return None
    typed = provided.get("..." + type_name)
    if typed is None:
        return provided
    merged = dict(provided)
    merged.update(typed)
    return merged


def provided_inside(
    provided: Provided | None,
    type_name: str,
    field_name: str,
    info: FieldInGraph | None,
    field_set: Callable[[str], tuple[Selection, ...]],
) -> Provided | None:
    """What is provided inside ``type_name.field_name``: from above, plus its own ``@provides``."""
    here = provided_at(provided, type_name)
    nested: Provided | None = here.get(field_name) if here is not None else None
    if info is not None and info.provides:
        nested = {**(nested or {}), **provided_from(field_set(info.provides))}
    return nested
