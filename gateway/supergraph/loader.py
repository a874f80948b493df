"""Read a supergraph SDL (join spec v0.2+) into a :class:`Supergraph`, parsing it once.

The one document is read into the typed model, the authorization and cost directives, the
supergraph schema and the API schema. A plain schema loads into a :class:`PlainSchema`.
"""

from __future__ import annotations

import hashlib
from typing import Any, cast

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumValueNode,
    GraphQLError,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    StringValueNode,
    TypeNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    parse,
)

from gateway.composition.api_schema import build_api_schema
from gateway.supergraph.directives import read_directives
from gateway.supergraph.model import (
    FieldDef,
    FieldInGraph,
    KeyDef,
    PlainSchema,
    Subgraph,
    Supergraph,
    TypeDef,
    TypeInGraph,
    TypeKind,
)

__all__ = ["SupergraphError", "load_schema", "load_supergraph", "named_type", "print_type_node"]


class SupergraphError(ValueError):
    """The supergraph SDL cannot be used (code ``INVALID_SUPERGRAPH``)."""

    code = "INVALID_SUPERGRAPH"


def _args(directive: DirectiveNode) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for argument in directive.arguments or ():
        value = argument.value
        if isinstance(value, StringValueNode | BooleanValueNode | EnumValueNode):
            values[argument.name.value] = value.value
    return values


def print_type_node(node: TypeNode) -> str:
    """``[Product!]!`` for a type AST node."""
    if isinstance(node, NonNullTypeNode):
        return print_type_node(node.type) + "!"
    if isinstance(node, ListTypeNode):
        return "[" + print_type_node(node.type) + "]"
    return cast(NamedTypeNode, node).name.value


def named_type(type_str: str) -> str:
    """The named type inside a printed type reference."""
    return type_str.strip("[]!")


_KINDS: dict[type, TypeKind] = {
    ObjectTypeDefinitionNode: "OBJECT",
    InterfaceTypeDefinitionNode: "INTERFACE",
    UnionTypeDefinitionNode: "UNION",
    EnumTypeDefinitionNode: "ENUM",
    ScalarTypeDefinitionNode: "SCALAR",
    InputObjectTypeDefinitionNode: "INPUT_OBJECT",
}


def _read_type(node: Any, kind: TypeKind, type_def: TypeDef) -> None:
    for directive in node.directives or ():
        name = directive.name.value
        args = _args(directive)
        if name == "join__type":
            graph = args["graph"]
            in_graph = type_def.graphs.setdefault(graph, TypeInGraph(graph=graph))
            if args.get("key") is not None:
                in_graph.keys.append(KeyDef(args["key"], bool(args.get("resolvable", True))))
            in_graph.extension = in_graph.extension or bool(args.get("extension", False))
            if args.get("isInterfaceObject"):
                in_graph.is_interface_object = True
        elif name == "join__implements":
            type_def.implements.setdefault(args["graph"], set()).add(args["interface"])
        elif name == "join__unionMember":
            type_def.union_members.setdefault(args["graph"], set()).add(args["member"])
        elif name == "join__owner":  # join v0.1: the owner defines the type
            type_def.graphs.setdefault(args["graph"], TypeInGraph(graph=args["graph"]))
    if kind in ("OBJECT", "INTERFACE"):
        for field_node in node.fields or ():
            type_str = print_type_node(field_node.type)
            field_def = FieldDef(
                name=field_node.name.value,
                parent=type_def.name,
                type_str=type_str,
                type_name=named_type(type_str),
            )
            joins = [d for d in field_node.directives or () if d.name.value == "join__field"]
            if joins:
                field_def.graphs = {}
                for directive in joins:
                    args = _args(directive)
                    if args.get("graph") is None:
                        continue
                    field_def.graphs[args["graph"]] = FieldInGraph(
                        graph=args["graph"],
                        external=bool(args.get("external", False)),
                        requires=args.get("requires"),
                        provides=args.get("provides"),
                        type=args.get("type"),
                        override=args.get("override"),
                        override_label=args.get("overrideLabel"),
                        used_overridden=bool(args.get("usedOverridden", False)),
                    )
            type_def.fields[field_def.name] = field_def
    if kind == "UNION" and not type_def.union_members:
        members = {member.name.value for member in node.types or ()}
        for graph in type_def.graphs:
            type_def.union_members[graph] = set(members)
    if kind == "ENUM":
        for value in node.values or ():
            for directive in value.directives or ():
                if directive.name.value == "join__enumValue":
                    graph = _args(directive)["graph"]
                    type_def.enum_values.setdefault(graph, set()).add(value.name.value)


def _root_types(document: DocumentNode) -> dict[str, str]:
    roots = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            roots = {}
            for operation_type in definition.operation_types:
                roots[operation_type.operation.value] = operation_type.type.name.value
    return roots


def _parse_and_build(sdl: str, what: str) -> tuple[DocumentNode, GraphQLSchema]:
    try:
        document = parse(sdl)
        return document, build_ast_schema(document, assume_valid_sdl=True)
    except GraphQLError as exc:
        raise SupergraphError(f"the {what} SDL is invalid: {exc.message}") from exc
    except TypeError as exc:  # graphql-core's complaint about an unbuildable schema
        raise SupergraphError(f"the {what} SDL cannot be built: {exc}") from exc


def load_schema(sdl: str) -> PlainSchema:
    """Parse a plain schema ``sdl`` (no subgraphs) once into its schema and directives.

    Raises :class:`SupergraphError` when the SDL does not parse or build.
    """
    document, schema = _parse_and_build(sdl, "schema")
    return PlainSchema(schema, read_directives(document))


def load_supergraph(sdl: str) -> Supergraph:
    """Parse ``sdl`` once and return its typed model, supergraph and API schemas and the
    authorization and cost directives on its elements.

    Raises :class:`SupergraphError` when the SDL is not a usable supergraph.
    """
    document, schema = _parse_and_build(sdl, "supergraph")
    subgraphs: dict[str, Subgraph] = {}
    types: dict[str, TypeDef] = {}
    for definition in document.definitions:
        kind = _KINDS.get(type(definition))
        if kind is None:
            continue
        node = cast(Any, definition)
        name = node.name.value
        if name == "join__Graph":
            for value in node.values or ():
                for directive in value.directives or ():
                    if directive.name.value == "join__graph":
                        args = _args(directive)
                        subgraphs[value.name.value] = Subgraph(
                            value.name.value, args["name"], args["url"]
                        )
            continue
        if name.startswith(("join__", "link__", "core__")):
            continue
        type_def = types.setdefault(name, TypeDef(name=name, kind=kind))
        _read_type(node, kind, type_def)
    if not subgraphs:
        raise SupergraphError("the supergraph declares no subgraph (no join__Graph enum)")
    _complete_implicit_graphs(types, subgraphs)
    roots = _root_types(document)
    possible = _possible_types(types)
    return Supergraph(
        sdl_hash=hashlib.sha256(sdl.encode()).hexdigest(),
        subgraphs=subgraphs,
        types=types,
        schema=schema,
        api_schema=build_api_schema(document),
        directives=read_directives(document),
        query_type=roots.get("query", "Query"),
        mutation_type=roots.get("mutation") if roots.get("mutation") in types else None,
        subscription_type=roots.get("subscription") if roots.get("subscription") in types else None,
        possible=possible,
    )


def _complete_implicit_graphs(types: dict[str, TypeDef], subgraphs: dict[str, Subgraph]) -> None:
    """Types without ``@join__type`` (built-in-like value types) belong to every subgraph."""
    for type_def in types.values():
        if not type_def.graphs:
            for graph in subgraphs:
                type_def.graphs[graph] = TypeInGraph(graph=graph)


def _possible_types(types: dict[str, TypeDef]) -> dict[str, frozenset[str]]:
    possible: dict[str, set[str]] = {}
    for type_def in types.values():
        if type_def.kind == "UNION":
            members: set[str] = set()
            for graph_members in type_def.union_members.values():
                members |= graph_members
            possible.setdefault(type_def.name, set()).update(members)
    for type_def in types.values():
        if type_def.kind in ("OBJECT", "INTERFACE"):
            for interfaces in type_def.implements.values():
                for interface in interfaces:
                    if type_def.kind == "OBJECT":
                        possible.setdefault(interface, set()).add(type_def.name)
    # interfaces implementing interfaces: objects of the sub-interface are possible too
    for type_def in types.values():
        if type_def.kind == "INTERFACE":
            for interfaces in type_def.implements.values():
                for interface in interfaces:
                    possible.setdefault(interface, set()).update(possible.get(type_def.name, set()))
    for type_def in types.values():
        if type_def.is_abstract:
            possible.setdefault(type_def.name, set())
    return {name: frozenset(members) for name, members in possible.items()}
