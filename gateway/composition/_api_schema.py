"""The API schema of a supergraph or of an API schema SDL, for ``ordergate schema diff``.

Supergraphs go through the gateway's own derivation (:func:`gateway.supergraph.api_schema.
build_api_schema`), after one normalization: a supergraph may import @inaccessible under another
name (``{name: "@inaccessible", as: "@federation__inaccessible"}``), which is renamed back to
``@inaccessible`` first. A document without a join link is an API schema already. Deprecations,
which the derivation does not keep, are read from the document by :func:`deprecations_of`.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLSchema, build_ast_schema, parse
from graphql.language import (
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    NameNode,
    ObjectTypeDefinitionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    Visitor,
    visit,
)

from gateway.composition.values import python_value
from gateway.supergraph.api_schema import build_api_schema

__all__ = ["api_schema_of", "deprecations_of", "is_supergraph"]


def _links(document: DocumentNode) -> list[tuple[str, ConstDirectiveNode]]:
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


class _Rename(Visitor):
    def __init__(self, old: str) -> None:
        super().__init__()
        self.old = old

    def enter_directive(self, node: ConstDirectiveNode, *_: Any) -> ConstDirectiveNode | None:
        if node.name.value != self.old:
            return None
        return ConstDirectiveNode(name=NameNode(value="inaccessible"), arguments=node.arguments)


def api_schema_of(sdl: str) -> GraphQLSchema:
    """The API schema of a supergraph SDL (or of an API schema SDL, as is)."""
    document = parse(sdl)
    if not is_supergraph(document):
        return build_ast_schema(document)
    name = _inaccessible_name(document)
    if name != "inaccessible":
        document = visit(document, _Rename(name))
    return build_api_schema(document)


def deprecations_of(sdl: str) -> dict[str, str]:
    """Deprecated fields and enum values of an SDL: coordinate -> reason."""
    found: dict[str, str] = {}
    for definition in parse(sdl).definitions:
        if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            members: Any = definition.fields or ()
        elif isinstance(definition, EnumTypeDefinitionNode):
            members = definition.values or ()
        else:
            continue
        for member in members:
            for directive in member.directives or ():
                if directive.name.value == "deprecated":
                    reasons = [python_value(a.value) for a in directive.arguments or ()]
                    reason = str(reasons[0]) if reasons else "No longer supported"
                    found[f"{definition.name.value}.{member.name.value}"] = reason
    return found
