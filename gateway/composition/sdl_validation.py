"""GraphQL validity of one subgraph's SDL, checked with graphql-core.

The subgraph document is completed with the definitions its ``@link``s provide (``@key``,
``federation__FieldSet``, ``link__Import``...) and with a definition for every type it only
extends (federation allows extending a type defined in another subgraph), then validated with
graphql-core's SDL rules and schema validation. Problems become ``INVALID_GRAPHQL`` errors at
the position of the offending node.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import GraphQLError, GraphQLSchema, build_ast_schema, validate_schema
from graphql.language import (
    ConstDirectiveNode,
    DefinitionNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    Node,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    parse,
    visit,
)
from graphql.language.visitor import Visitor
from graphql.pyutils import Undefined
from graphql.utilities import value_from_ast
from graphql.validation.specified_rules import specified_sdl_rules
from graphql.validation.validate import validate_sdl

from gateway.composition.errors import CompositionError, ErrorCode, SourceLocation
from gateway.composition.links import Links

__all__ = ["validate_subgraph_sdl"]

_DEFINITION_FOR_EXTENSION: dict[type[Node], type[TypeDefinitionNode]] = {
    ObjectTypeExtensionNode: ObjectTypeDefinitionNode,
    InterfaceTypeExtensionNode: InterfaceTypeDefinitionNode,
    UnionTypeExtensionNode: UnionTypeDefinitionNode,
    EnumTypeExtensionNode: EnumTypeDefinitionNode,
    InputObjectTypeExtensionNode: InputObjectTypeDefinitionNode,
    ScalarTypeExtensionNode: ScalarTypeDefinitionNode,
}

#: federation directive names, to hint when one is used without being imported
_FEDERATION_NAMES = {
    "key", "requires", "provides", "external", "extends", "shareable", "override", "tag",
    "inaccessible", "composeDirective", "interfaceObject", "authenticated", "requiresScopes",
    "policy", "context", "fromContext", "cost", "listSize", "cacheTag",
}  # fmt: skip

_FIELDS_DIRECTIVES = {"key", "requires", "provides"}


def _spec_definitions(links: Links, document: DocumentNode) -> list[DefinitionNode]:
    defined_types = {
        d.name.value for d in document.definitions if isinstance(d, TypeDefinitionNode)
    }
    defined_directives = {
        d.name.value for d in document.definitions if isinstance(d, DirectiveDefinitionNode)
    }
    sdl = [text for name, text in links.type_definitions.items() if name not in defined_types] + [
        text for name, text in links.directive_definitions.items() if name not in defined_directives
    ]
    return list(parse("\n".join(sdl), no_location=True).definitions) if sdl else []


def _with_lone_extensions_defined(definitions: list[DefinitionNode]) -> list[DefinitionNode]:
    defined = {d.name.value for d in definitions if isinstance(d, TypeDefinitionNode)}
    result: list[DefinitionNode] = []
    for definition in definitions:
        if isinstance(definition, TypeExtensionNode) and definition.name.value not in defined:
            defined.add(definition.name.value)
            target = _DEFINITION_FOR_EXTENSION[type(definition)]
            fields: dict[str, Any] = {k: getattr(definition, k, None) for k in target.keys}
            fields["description"] = None
            result.append(target(**fields))
            continue
        result.append(definition)
    return result


def _hint(message: str, links: Links) -> str:
    if not message.startswith("Unknown directive '@"):
        return message
    name = message.split("'@", 1)[1].split("'", 1)[0]
    if name not in _FEDERATION_NAMES:
        return message
    if not links.is_fed2:
        return (
            f"{message} If you meant the @{name} federation 2 directive, note that this schema is"
            " a federation 1 schema: it needs to @link to the federation spec v2.x."
        )
    return (
        f'{message} If you meant the @{name} federation directive, add "@{name}" to the'
        " `import` argument of the @link to the federation spec (or use its namespaced name)."
    )


def _to_error(subgraph: str, error: GraphQLError, links: Links) -> CompositionError:
    locations = tuple(
        SourceLocation(subgraph, loc.line, loc.column) for loc in error.locations or ()
    )
    return CompositionError(
        ErrorCode.INVALID_GRAPHQL, _hint(error.message, links), subgraph, locations
    )


class _DirectiveValueChecker(Visitor):
    """Checks applied directive argument values against the directive definitions."""

    def __init__(self, schema: GraphQLSchema, links: Links) -> None:
        super().__init__()
        self.schema = schema
        self.links = links
        self.errors: list[GraphQLError] = []

    def enter_directive(self, node: ConstDirectiveNode, *_: Any) -> None:
        definition = self.schema.get_directive(node.name.value)
        if definition is None:
            return
        fields_directive = self.links.canonical_directive(node.name.value) in _FIELDS_DIRECTIVES
        for argument in node.arguments or ():
            name = argument.name.value
            arg_def = definition.args.get(name)
            if arg_def is None or (fields_directive and name == "fields"):
                continue
            if value_from_ast(argument.value, arg_def.type) is Undefined:
                self.errors.append(
                    GraphQLError(
                        f'Invalid value for "@{node.name.value}({name}:)": the value does not'
                        f" match type {arg_def.type}.",
                        argument,
                    )
                )


def validate_subgraph_sdl(
    subgraph: str, document: DocumentNode, links: Links
) -> list[CompositionError]:
    """All GraphQL validity errors of ``document`` (already stripped of federation machinery)."""
    definitions = _with_lone_extensions_defined(list(document.definitions))
    full = DocumentNode(
        definitions=(*definitions, *_spec_definitions(links, document)), loc=document.loc
    )
    sdl_errors = validate_sdl(full, rules=specified_sdl_rules)
    if sdl_errors:
        return [_to_error(subgraph, e, links) for e in sdl_errors]
    try:
        schema = build_ast_schema(full, assume_valid_sdl=True)
    except (GraphQLError, TypeError) as exc:
        return [CompositionError(ErrorCode.INVALID_GRAPHQL, str(exc), subgraph)]
    errors: Iterable[GraphQLError] = [
        e for e in validate_schema(schema) if not _is_ignored_schema_error(e)
    ]
    checker = _DirectiveValueChecker(schema, links)
    visit(full, checker)
    return [_to_error(subgraph, e, links) for e in (*errors, *checker.errors)]


def _is_ignored_schema_error(error: GraphQLError) -> bool:
    # A subgraph may have no query of its own: federation gives every subgraph a Query root.
    return error.message.startswith("Query root type must be provided") or (
        error.message == "Type Query must define one or more fields."
    )
