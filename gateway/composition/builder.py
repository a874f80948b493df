"""Build a :class:`Subgraph` from its SDL: parse, resolve links, check validity, fold extensions.

What federation adds to every subgraph (``_service``, ``_entities``, ``_Any``, ``_Entity``,
``_Service``, the definitions of linked directives and types) is removed here: composition
works on the user's types only. Root types are renamed to ``Query``/``Mutation``/``Subscription``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import GraphQLSyntaxError, Source, parse
from graphql.language import (
    ConstDirectiveNode,
    DefinitionNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
)

from gateway.composition.errors import CompositionError, ErrorCode, SourceLocation, locations_of
from gateway.composition.links import Links, parse_links
from gateway.composition.model import (
    Directive,
    DirectiveDefinition,
    EnumValue,
    Field,
    InputValue,
    Schema,
    TypeDef,
    TypeKind,
)
from gateway.composition.roots import normalize_roots
from gateway.composition.sdl_validation import validate_subgraph_sdl
from gateway.composition.spec_definitions import check_spec_definitions
from gateway.composition.specs import UNSUPPORTED_DIRECTIVES
from gateway.composition.subgraph import Subgraph
from gateway.composition.typeref import from_ast

__all__ = ["build_subgraph"]

_KINDS: dict[type[DefinitionNode], TypeKind] = {
    ObjectTypeDefinitionNode: TypeKind.OBJECT,
    ObjectTypeExtensionNode: TypeKind.OBJECT,
    InterfaceTypeDefinitionNode: TypeKind.INTERFACE,
    InterfaceTypeExtensionNode: TypeKind.INTERFACE,
    UnionTypeDefinitionNode: TypeKind.UNION,
    UnionTypeExtensionNode: TypeKind.UNION,
    EnumTypeDefinitionNode: TypeKind.ENUM,
    EnumTypeExtensionNode: TypeKind.ENUM,
    InputObjectTypeDefinitionNode: TypeKind.INPUT_OBJECT,
    InputObjectTypeExtensionNode: TypeKind.INPUT_OBJECT,
    ScalarTypeDefinitionNode: TypeKind.SCALAR,
    ScalarTypeExtensionNode: TypeKind.SCALAR,
}
_FEDERATION_OPERATION_TYPES = {"_Service", "_Entity", "_Any"}
_FEDERATION_OPERATION_FIELDS = {"_service", "_entities"}


def _declared_roots(document: DocumentNode) -> dict[str, str]:
    roots: dict[str, str] = {}
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for operation in definition.operation_types or ():
                roots[operation.operation.value] = operation.type.name.value
    return roots


def _strip_machinery(document: DocumentNode, links: Links) -> DocumentNode:
    query_root = _declared_roots(document).get("query", "Query")
    kept: list[DefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode):
            if definition.name.value in links.directive_sources:
                continue
        elif isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            name = definition.name.value
            if name in _FEDERATION_OPERATION_TYPES or links.is_spec_type(name):
                continue
            if name == query_root and isinstance(
                definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode
            ):
                fields = tuple(
                    f
                    for f in definition.fields or ()
                    if f.name.value not in _FEDERATION_OPERATION_FIELDS
                )
                if len(fields) != len(definition.fields or ()):
                    values: dict[str, Any] = {
                        k: getattr(definition, k, None) for k in definition.keys
                    }
                    values["fields"] = fields
                    definition = type(definition)(**values)
        kept.append(definition)
    return DocumentNode(definitions=tuple(kept), loc=document.loc)


@dataclass(slots=True)
class _ModelBuilder:
    name: str
    links: Links

    def directives(
        self, nodes: tuple[ConstDirectiveNode, ...] | None, origin: int
    ) -> list[Directive]:
        result = []
        for node in nodes or ():
            name = node.name.value
            result.append(
                Directive(
                    name=name,
                    args={a.name.value: a.value for a in node.arguments or ()},
                    node=node,
                    origin=origin,
                    kind=self.links.canonical_directive(name),
                )
            )
        return result

    def input_value(self, node: InputValueDefinitionNode, parent: str) -> InputValue:
        return InputValue(
            name=node.name.value,
            type=from_ast(node.type),
            default=node.default_value,
            description=node.description.value if node.description else None,
            directives=self.directives(node.directives, 0),
            node=node,
            parent=parent,
        )

    def field(self, node: FieldDefinitionNode, parent: str, origin: int) -> Field:
        coordinate = f"{parent}.{node.name.value}"
        return Field(
            name=node.name.value,
            type=from_ast(node.type),
            parent=parent,
            args={a.name.value: self.input_value(a, coordinate) for a in node.arguments or ()},
            directives=self.directives(node.directives, origin),
            description=node.description.value if node.description else None,
            origin=origin,
            node=node,
        )

    def input_field(self, node: InputValueDefinitionNode, parent: str, origin: int) -> Field:
        return Field(
            name=node.name.value,
            type=from_ast(node.type),
            parent=parent,
            directives=self.directives(node.directives, origin),
            description=node.description.value if node.description else None,
            default=node.default_value,
            origin=origin,
            node=node,
        )

    def add_type(self, schema: Schema, node: TypeDefinitionNode | TypeExtensionNode) -> None:
        name = node.name.value
        kind = _KINDS[type(node)]
        target = schema.types.get(name)
        if target is None:
            target = schema.types[name] = TypeDef(kind=kind, name=name)
        is_extension = isinstance(node, TypeExtensionNode)
        origin = len([n for n in target.nodes if isinstance(n, TypeExtensionNode)]) + 1
        origin = origin if is_extension else 0
        target.nodes.append(node)
        if is_extension:
            target.has_extension = True
        else:
            target.has_definition = True
            description = getattr(node, "description", None)
            target.description = description.value if description else None
        target.directives.extend(self.directives(node.directives, origin))
        for interface in getattr(node, "interfaces", None) or ():
            target.interfaces.append(interface.name.value)
        for member in getattr(node, "types", None) or ():
            target.members.append(member.name.value)
        for value in getattr(node, "values", None) or ():
            target.values[value.name.value] = EnumValue(
                name=value.name.value,
                parent=name,
                description=value.description.value if value.description else None,
                directives=self.directives(value.directives, origin),
                origin=origin,
                node=value,
            )
        for field_node in getattr(node, "fields", None) or ():
            if kind is TypeKind.INPUT_OBJECT:
                built = self.input_field(field_node, name, origin)
            else:
                built = self.field(field_node, name, origin)
            target.fields[built.name] = built

    def build(self, document: DocumentNode) -> Schema:
        schema = Schema()
        for definition in document.definitions:
            if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
                self.add_type(schema, definition)
            elif isinstance(definition, DirectiveDefinitionNode):
                schema.directive_definitions[definition.name.value] = DirectiveDefinition(
                    name=definition.name.value,
                    locations=[loc.value for loc in definition.locations],
                    args={
                        a.name.value: self.input_value(a, f"@{definition.name.value}")
                        for a in definition.arguments or ()
                    },
                    repeatable=definition.repeatable,
                    description=definition.description.value if definition.description else None,
                    node=definition,
                )
            elif isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
                applied = self.directives(definition.directives, 0)
                schema.schema_directives.extend(
                    d for d in applied if d.name != self.links.link_directive
                )
                if isinstance(definition, SchemaDefinitionNode) and definition.description:
                    schema.description = definition.description.value
        return schema


def _unsupported(subgraph: Subgraph) -> list[CompositionError]:
    name = subgraph.name
    return [
        CompositionError(
            ErrorCode.UNSUPPORTED_FEATURE,
            f"@{directive.name} is not supported by this composer yet",
            name,
            locations_of(name, [directive.node]),
        )
        for directive in subgraph.all_directives()
        if directive.kind in UNSUPPORTED_DIRECTIVES or directive.kind == "composeDirective"
    ]


def build_subgraph(name: str, url: str, sdl: str) -> tuple[Subgraph | None, list[CompositionError]]:
    """Parse and check one subgraph; returns it, or ``None`` with the errors that prevent it."""
    if name == "_" or not name:
        return None, [
            CompositionError(
                ErrorCode.INVALID_SUBGRAPH_NAME,
                f'Invalid subgraph name "{name}": a subgraph name cannot be empty or "_"',
                name or None,
            )
        ]
    try:
        document = parse(Source(sdl, name))
    except GraphQLSyntaxError as exc:
        locations = tuple(SourceLocation(name, loc.line, loc.column) for loc in exc.locations or ())
        return None, [CompositionError(ErrorCode.INVALID_GRAPHQL, exc.message, name, locations)]
    schema_directives = [
        directive
        for definition in document.definitions
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode)
        for directive in definition.directives or ()
    ]
    links, errors = parse_links(name, schema_directives)
    errors += check_spec_definitions(name, document, links)
    if errors:
        return None, errors
    stripped = _strip_machinery(document, links)
    errors = validate_subgraph_sdl(name, stripped, links)
    if errors:
        return None, errors
    schema = _ModelBuilder(name, links).build(stripped)
    subgraph = Subgraph(name=name, url=url, schema=schema, links=links)
    errors = normalize_roots(name, schema, _declared_roots(stripped)) + _unsupported(subgraph)
    return (None, errors) if errors else (subgraph, [])
