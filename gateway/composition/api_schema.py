"""The API schema: what clients see of a supergraph (derived from the composed document).

The join/link machinery (types, enums, scalars, directives) and every element marked
``@inaccessible`` (under whatever name the supergraph's ``@link`` gives it) are removed; what
remains is built into a graphql-core schema that validates client operations and answers
introspection. The built-in directives that clients see through introspection (``@deprecated``,
``@specifiedBy``, ``@oneOf``) stay on their elements.
"""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from graphql import (
    DirectiveDefinitionNode,
    DirectiveLocation,
    DocumentNode,
    GraphQLSchema,
    NamedTypeNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    build_ast_schema,
)

from gateway.composition.links import SchemaLinks

__all__ = ["build_api_schema"]

_MACHINERY_PREFIXES = ("join__", "link__", "core__")
_MACHINERY_DIRECTIVES = frozenset(
    {
        "link",
        "core",
        "inaccessible",
        "tag",
        "authenticated",
        "requiresScopes",
        "policy",
        "cost",
        "listSize",
        "context",
        "fromContext",
    }
)
#: directives clients see through introspection, kept on the API schema's elements
_BUILT_IN_DIRECTIVES = frozenset({"deprecated", "specifiedBy", "oneOf"})
_EXECUTABLE_LOCATIONS = frozenset(
    {
        DirectiveLocation.QUERY.name,
        DirectiveLocation.MUTATION.name,
        DirectiveLocation.SUBSCRIPTION.name,
        DirectiveLocation.FIELD.name,
        DirectiveLocation.FRAGMENT_DEFINITION.name,
        DirectiveLocation.FRAGMENT_SPREAD.name,
        DirectiveLocation.INLINE_FRAGMENT.name,
        DirectiveLocation.VARIABLE_DEFINITION.name,
    }
)


def _marked(name: str, node: Any) -> bool:
    return any(d.name.value == name for d in getattr(node, "directives", None) or ())


def _machinery(name: str) -> bool:
    return name.startswith(_MACHINERY_PREFIXES)


def _strip(node: Any, **changes: Any) -> Any:
    """A copy of ``node`` keeping only built-in directives (and with ``changes``)."""
    fields = {key: getattr(node, key) for key in node.keys}
    fields.update(changes)
    if fields.get("directives"):
        fields["directives"] = tuple(
            d for d in fields["directives"] if d.name.value in _BUILT_IN_DIRECTIVES
        )
    return type(node)(**fields)


def _clean_field(field_node: Any, hidden: set[str], inaccessible: Any) -> Any:
    arguments = tuple(
        _strip(argument)
        for argument in getattr(field_node, "arguments", None) or ()
        if not inaccessible(argument)
    )
    if hasattr(field_node, "arguments"):
        return _strip(field_node, arguments=arguments)
    return _strip(field_node)


def _type_name(type_node: Any) -> str:
    while not isinstance(type_node, NamedTypeNode):
        type_node = type_node.type
    return type_node.name.value


def build_api_schema(document: DocumentNode) -> GraphQLSchema:
    """Build the API schema of the supergraph ``document``."""
    inaccessible_name = SchemaLinks.of(document).directive_name("inaccessible", "inaccessible")
    inaccessible = partial(_marked, inaccessible_name)
    hidden = {
        cast(Any, d).name.value
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode)
        and (inaccessible(d) or _machinery(cast(Any, d).name.value))
    }
    definitions: list[Any] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            definitions.append(_strip(definition))
            continue
        if isinstance(definition, DirectiveDefinitionNode):
            name = definition.name.value
            locations = {location.value for location in definition.locations}
            if (
                name in _MACHINERY_DIRECTIVES
                or name == inaccessible_name
                or _machinery(name)
                or not locations & _EXECUTABLE_LOCATIONS
            ):
                continue
            definitions.append(definition)
            continue
        if not isinstance(definition, TypeDefinitionNode):
            continue
        node = cast(Any, definition)
        if node.name.value in hidden:
            continue
        changes: dict[str, Any] = {}
        if getattr(node, "fields", None) is not None:
            changes["fields"] = tuple(
                _clean_field(field_node, hidden, inaccessible)
                for field_node in node.fields
                if not inaccessible(field_node) and _type_name(field_node.type) not in hidden
            )
        if getattr(node, "values", None) is not None:
            changes["values"] = tuple(
                _strip(value) for value in node.values if not inaccessible(value)
            )
        if getattr(node, "types", None) is not None:
            changes["types"] = tuple(t for t in node.types if t.name.value not in hidden)
        if getattr(node, "interfaces", None) is not None:
            changes["interfaces"] = tuple(i for i in node.interfaces if i.name.value not in hidden)
        definitions.append(_strip(node, **changes))
    return build_ast_schema(DocumentNode(definitions=tuple(definitions)), assume_valid_sdl=True)
