"""Planner-added fields (keys, ``@requires`` field sets) and the representations built from them."""

from __future__ import annotations

from collections.abc import Sequence

from gateway.planning._groups import MInput
from gateway.planning._selection_set import internal_alias
from gateway.planning.operation import Field, InlineFragment, Selection
from gateway.supergraph.model import Supergraph

__all__ = ["input_of", "internalize", "user_keys"]


def user_keys(selections: Sequence[Selection]) -> dict[str, tuple[str, str]]:
    """Response key -> (field name, arguments) of the client's fields at one position."""
    keys: dict[str, tuple[str, str]] = {}
    for selection in selections:
        if isinstance(selection, Field):
            keys.setdefault(selection.response_key, (selection.name, selection.arguments_text))
        else:
            keys.update(user_keys(selection.selections))
    return keys


def internalize(
    selections: Sequence[Selection], client_keys: dict[str, tuple[str, str]] | None = None
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
        elif client_keys is not None:
            clash = client_keys.get(selection.name)
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


def input_of(supergraph: Supergraph, type_name: str, selections: Sequence[Selection]) -> MInput:
    """The representation fields that read ``selections`` back from the merged data."""
    result = MInput()
    for selection in selections:
        if isinstance(selection, InlineFragment):
            inner = input_of(
                supergraph, selection.type_condition or type_name, selection.selections
            )
            if selection.type_condition and selection.type_condition != type_name:
                for runtime in sorted(supergraph.possible_types(selection.type_condition)):
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
            field_type = supergraph.types[type_name].fields[selection.name].type_name
            sub = input_of(supergraph, field_type, selection.selections)
            if supergraph.types[field_type].is_abstract:
                sub.with_typename = True
        result.fields[selection.name] = (selection.response_key, sub)
    return result
