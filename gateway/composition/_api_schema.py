"""The API schema of a supergraph (private to composition; used by ``ordergate schema diff``).

What clients can query: the supergraph without its join/link machinery, without the spec
directives carried for the gateway (@tag, auth, cost) and without anything @inaccessible
(types, fields, arguments, enum values, input fields, union members, implemented interfaces).
``@deprecated`` and ``@specifiedBy`` stay: deprecations are part of the API. A document that is
not a supergraph (no join link) is taken as an API schema already.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLSchema, build_ast_schema, parse
from graphql.language import (
    DirectiveDefinitionNode,
    DocumentNode,
    NamedTypeNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    TypeDefinitionNode,
)

from gateway.composition.values import python_value

__all__ = ["api_schema_of", "is_supergraph"]

_MACHINERY_PREFIXES = ("join__", "link__", "core__")
_KEPT_DIRECTIVES = {"deprecated", "specifiedBy", "oneOf"}
_EXECUTABLE = {
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
}


def _links(document: DocumentNode) -> list[tuple[str, Any]]:
    found = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for directive in definition.directives or ():
                for argument in directive.arguments or ():
                    if argument.name.value == "url" and isinstance(argument.value, StringValueNode):
                        found.append((argument.value.value, directive))
    return found


def is_supergraph(document: DocumentNode) -> bool:
    """Whether ``document`` links the join spec (a supergraph rather than an API schema)."""
    return any("/join/" in url for url, _ in _links(document))


def _inaccessible_name(document: DocumentNode) -> str:
    """The name @inaccessible has in ``document`` (imports may rename it)."""
    for url, directive in _links(document):
        if "/inaccessible/" not in url:
            continue
        arguments = {a.name.value: python_value(a.value) for a in directive.arguments or ()}
        for item in arguments.get("import") or ():
            if isinstance(item, dict) and item.get("name") == "@inaccessible" and item.get("as"):
                return str(item["as"]).removeprefix("@")
        return str(arguments.get("as") or "inaccessible")
    return "inaccessible"


class _Pruner:
    def __init__(self, document: DocumentNode) -> None:
        self.inaccessible = _inaccessible_name(document)
        self.hidden = {
            d.name.value
            for d in document.definitions
            if isinstance(d, TypeDefinitionNode)
            and (self.is_hidden(d) or d.name.value.startswith(_MACHINERY_PREFIXES))
        }

    def is_hidden(self, node: Any) -> bool:
        return any(d.name.value == self.inaccessible for d in node.directives or ())

    def uses_hidden_type(self, type_node: Any) -> bool:
        while not isinstance(type_node, NamedTypeNode):
            type_node = type_node.type
        return type_node.name.value in self.hidden

    @staticmethod
    def copy(node: Any, **changes: Any) -> Any:
        values = {key: getattr(node, key) for key in node.keys}
        values.update(changes)
        if "directives" in values:
            values["directives"] = tuple(
                d for d in values["directives"] or () if d.name.value in _KEPT_DIRECTIVES
            )
        return type(node)(**values)

    def visible(self, nodes: Any) -> tuple[Any, ...]:
        return tuple(
            n for n in nodes or () if not self.is_hidden(n) and not self.uses_hidden_type(n.type)
        )

    def field(self, node: Any) -> Any:
        if hasattr(node, "arguments"):
            arguments = tuple(self.copy(a) for a in self.visible(node.arguments))
            return self.copy(node, arguments=arguments)
        return self.copy(node)

    def type(self, node: Any) -> Any:
        changes: dict[str, Any] = {}
        if getattr(node, "fields", None) is not None:
            changes["fields"] = tuple(self.field(f) for f in self.visible(node.fields))
        if getattr(node, "values", None) is not None:
            values = (v for v in node.values if not self.is_hidden(v))
            changes["values"] = tuple(self.copy(v) for v in values)
        if getattr(node, "types", None) is not None:
            changes["types"] = tuple(t for t in node.types if t.name.value not in self.hidden)
        if getattr(node, "interfaces", None) is not None:
            changes["interfaces"] = tuple(
                i for i in node.interfaces if i.name.value not in self.hidden
            )
        return self.copy(node, **changes)


def _api_document(document: DocumentNode) -> DocumentNode:
    pruner = _Pruner(document)
    kept: list[Any] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            kept.append(pruner.copy(definition))
        elif isinstance(definition, DirectiveDefinitionNode):
            locations = {loc.value for loc in definition.locations}
            machinery = definition.name.value.startswith(_MACHINERY_PREFIXES)
            if locations & _EXECUTABLE and not machinery:
                arguments = tuple(pruner.copy(a) for a in pruner.visible(definition.arguments))
                kept.append(pruner.copy(definition, arguments=arguments))
        elif isinstance(definition, TypeDefinitionNode):
            kept.extend([] if definition.name.value in pruner.hidden else [pruner.type(definition)])
    return DocumentNode(definitions=tuple(kept))


def api_schema_of(sdl: str) -> GraphQLSchema:
    """The API schema of a supergraph SDL (or of an API schema SDL, unchanged)."""
    document = parse(sdl)
    if is_supergraph(document):
        document = _api_document(document)
    return build_ast_schema(document)
