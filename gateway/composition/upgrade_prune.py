"""Federation 1 tolerated @provides/@requires selecting fields that are not external.

Such selections are inactive; the upgrade drops them (and the directive when nothing is left),
as Apollo does, so that the Federation 2 validation does not reject the subgraph.
"""

from __future__ import annotations

from graphql.language import StringValueNode

from gateway.composition.fieldset import FieldSetError, Selection, parse_field_set, print_selections
from gateway.composition.metadata import fields_argument
from gateway.composition.model import Directive, Field, Schema, TypeKind
from gateway.composition.typeref import base_name

__all__ = ["prune_inactive_provides_and_requires"]


def prune_inactive_provides_and_requires(schema: Schema) -> None:
    """Drop the non-external leaves of every @provides/@requires (Federation 1 tolerated them)."""
    for owner in list(schema.types.values()):
        if owner.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
            continue
        for f in owner.fields.values():
            for directive in list(f.directives):
                if directive.kind == "provides":
                    _prune(schema, f, directive, base_name(f.type))
                elif directive.kind == "requires":
                    _prune(schema, f, directive, owner.name)


def _prune(schema: Schema, f: Field, directive: Directive, parent: str) -> None:
    text = fields_argument(directive)
    if text is None:
        return
    try:
        selections = parse_field_set(schema, parent, text)
    except FieldSetError:
        return
    if not _selects_non_external_leaf(schema, selections):
        return
    kept = _without_non_external_leaves(schema, selections)
    if not kept:
        f.directives = [d for d in f.directives if d is not directive]
        return
    directive.args["fields"] = StringValueNode(value=print_selections(kept))


def _external_or_has_external_implementations(schema: Schema, selection: Selection) -> bool:
    definition = selection.definition
    if definition is None:
        return False
    if definition.has("external"):
        return True
    owner = schema.type(definition.parent)
    if owner is not None and owner.kind is TypeKind.INTERFACE:
        for implementation in schema.implementations(owner.name):
            implemented = implementation.fields.get(definition.name)
            if implemented is not None and implemented.has("external"):
                return True
    return False


def _selects_non_external_leaf(schema: Schema, selections: list[Selection]) -> bool:
    for s in selections:
        if s.name is None:
            if _selects_non_external_leaf(schema, s.children or []):
                return True
            continue
        if _external_or_has_external_implementations(schema, s):
            continue
        if s.children is None or _selects_non_external_leaf(schema, s.children):
            return True
    return False


def _without_non_external_leaves(schema: Schema, selections: list[Selection]) -> list[Selection]:
    kept: list[Selection] = []
    for s in selections:
        if s.name is not None and _external_or_has_external_implementations(schema, s):
            kept.append(s)
            continue
        if s.children is not None:
            children = _without_non_external_leaves(schema, s.children)
            if children:
                s.children = children
                kept.append(s)
    return kept
