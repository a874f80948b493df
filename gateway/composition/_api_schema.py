"""The API schema of a supergraph or of an API schema SDL, for ``ordergate schema diff``.

Supergraphs go through the gateway's own derivation (:func:`gateway.composition.api_schema.
build_api_schema`, which follows renamed ``@inaccessible`` imports). A document without a join
link is an API schema already. :func:`deprecations_of` reads deprecations from a document.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLSchema, build_ast_schema, parse
from graphql.language import (
    DocumentNode,
    EnumTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
)

from gateway.composition.api_schema import build_api_schema
from gateway.composition.links import SchemaLinks
from gateway.composition.values import python_value

__all__ = ["api_schema_of", "deprecations_of", "is_supergraph"]


def is_supergraph(document: DocumentNode) -> bool:
    """Whether ``document`` links the join spec (a supergraph rather than an API schema)."""
    return any(link.name == "join" for link in SchemaLinks.of(document).by_identity.values())


def api_schema_of(sdl: str) -> GraphQLSchema:
    """The API schema of a supergraph SDL (or of an API schema SDL, as is)."""
    document = parse(sdl)
    if not is_supergraph(document):
        return build_ast_schema(document)
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
