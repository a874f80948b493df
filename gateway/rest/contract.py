"""What a REST caller relies on in one compiled route: its request parameters and response
fields, as the wire sees them (JSON shapes, not GraphQL type names).

:mod:`gateway.rest.contract_diff` compares two of these. A parameter is a path, query or header
value, the JSON body, or a property at any depth of the body (``lines[].sku``); a response field
is a key path below the unwrapped root field (``total.amount``; a paginated route's nodes are
``items[]``). Object and input types are compared by their fields, never by name: renaming a
GraphQL type changes nothing on the wire.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_required_input_field,
    parse,
)

from gateway.rest.compile import CompiledBinding, CompiledRoute

__all__ = ["Parameter", "ResponseField", "RouteContract", "contract_of", "wire_kind"]

#: scalars that are the same JSON value on the wire
_JSON_KINDS = {"ID": "string", "String": "string", "Int": "integer", "Float": "number"}
_MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Parameter:
    """One value a caller sends."""

    #: how errors and reports name it: ``query parameter 'limit'``, ``body property 'lines[].sku'``
    label: str
    type: GraphQLInputType
    required: bool
    #: the accepted values of an enum (or list of enums), else empty
    values: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ResponseField:
    """One key path of the response body."""

    type: GraphQLOutputType
    #: the values of an enum, or the possible object types of a union or interface
    values: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RouteContract:
    """A compiled route as its callers see it."""

    route: CompiledRoute
    #: (source, name) -> the parameter: path parameters by position (``("path", "#0")``), body
    #: properties at any depth (``("body", "lines[].sku")``)
    parameters: Mapping[tuple[str, str], Parameter]
    #: key path -> the field (``""``: the unwrapped root value itself)
    response: Mapping[str, ResponseField]


def wire_kind(named: GraphQLNamedType) -> str:
    """What a named type is in JSON: ``string``, ``integer``, ``enum``, ``object``, or the
    custom scalar's name."""
    if isinstance(named, GraphQLScalarType):
        return _JSON_KINDS.get(named.name, named.name)
    if isinstance(named, GraphQLEnumType):
        return "enum"
    return "object"


def _enum_values(type_: GraphQLInputType | GraphQLOutputType) -> frozenset[str]:
    named = get_named_type(type_)
    return frozenset(named.values) if isinstance(named, GraphQLEnumType) else frozenset()


def contract_of(route: CompiledRoute, schema: GraphQLSchema) -> RouteContract:
    """The contract of ``route``, compiled against ``schema`` (the API schema)."""
    parameters: dict[tuple[str, str], Parameter] = {}
    positions = {name: index for index, name in enumerate(route.spec.path_parameters)}
    for binding in route.bindings:
        if binding.source == "path":
            # a path parameter is a position of the path: its name is not on the wire
            key = ("path", f"#{positions[binding.name or '']}")
            parameters[key] = Parameter(binding.label, binding.type, binding.required)
        else:
            parameters.update(_parameters(binding))
    return RouteContract(route, parameters, _response(route, schema))


def _parameters(binding: CompiledBinding) -> Iterator[tuple[tuple[str, str], Parameter]]:
    if binding.source == "header":
        assert binding.name is not None
        name = binding.name.lower()
        yield (
            ("header", name),
            Parameter(f"header '{binding.name}'", binding.type, binding.required),
        )
        return
    if binding.source != "body":
        yield (
            (binding.source, binding.name or ""),
            Parameter(binding.label, binding.type, binding.required, _enum_values(binding.type)),
        )
        return
    name = binding.name or ""
    if name:
        label = f"body property '{name}'"
        yield (
            ("body", name),
            Parameter(label, binding.type, binding.required, _enum_values(binding.type)),
        )
    # the whole body is its properties: binding it whole or property by property is one contract
    yield from _input_fields(binding.type, name, 0)


def _input_fields(
    type_: GraphQLInputType, prefix: str, depth: int
) -> Iterator[tuple[tuple[str, str], Parameter]]:
    nullable = get_nullable_type(type_)
    if isinstance(nullable, GraphQLList):
        yield from _input_fields(nullable.of_type, f"{prefix}[]", depth)
        return
    if not isinstance(nullable, GraphQLInputObjectType) or depth >= _MAX_DEPTH:
        return
    for field_name, field in nullable.fields.items():
        path = f"{prefix}.{field_name}" if prefix else field_name
        yield (
            ("body", path),
            Parameter(
                f"body property '{path}'",
                field.type,
                is_required_input_field(field),
                _enum_values(field.type),
            ),
        )
        yield from _input_fields(field.type, path, depth + 1)


def _response(route: CompiledRoute, schema: GraphQLSchema) -> dict[str, ResponseField]:
    document = parse(route.document.query)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    root = next(s for s in operation.selection_set.selections if isinstance(s, FieldNode))
    fields: dict[str, ResponseField] = {}
    walker = _ResponseWalker(schema, fragments, fields)
    paginated = route.spec.pagination is not None
    if not paginated:
        fields[""] = walker.field(route.root_type)
    prefix = ""
    unwrapped = get_nullable_type(route.root_type)
    while isinstance(unwrapped, GraphQLList):  # a list root: its items are ``[].field``
        prefix += "[]"
        unwrapped = get_nullable_type(unwrapped.of_type)
    walker.walk(route.root_type, root.selection_set, prefix, 0)
    if not paginated:
        return fields
    # {items: [nodes], nextCursor}: the nodes are edges[].node, the rest is the connection's
    nodes = {
        "items[]" + path.removeprefix("edges[].node"): field
        for path, field in fields.items()
        if path == "edges[].node" or path.startswith(("edges[].node.", "edges[].node("))
    }
    nodes["nextCursor"] = ResponseField(GraphQLString)
    return nodes


@dataclass
class _ResponseWalker:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    fields: dict[str, ResponseField]

    def field(self, type_: GraphQLOutputType) -> ResponseField:
        named = get_named_type(type_)
        if isinstance(named, GraphQLAbstractType):
            possible = self.schema.get_possible_types(named)
            return ResponseField(type_, frozenset(t.name for t in possible))
        return ResponseField(type_, _enum_values(type_))

    def walk(
        self,
        type_: GraphQLOutputType,
        selection_set: SelectionSetNode | None,
        prefix: str,
        depth: int,
    ) -> None:
        """Record every field selected in ``selection_set`` on a value of ``type_``."""
        parent = get_named_type(type_)
        if selection_set is None or depth >= _MAX_DEPTH:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self._field(parent, selection, prefix, depth)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                inner = prefix
                if target is not None and target is not parent:
                    inner = f"{prefix}(on {target.name})"
                self.walk(target or parent, selection.selection_set, inner, depth)  # type: ignore[arg-type]
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    inner = prefix
                    if target is not None and target is not parent:
                        inner = f"{prefix}(on {target.name})"
                    self.walk(target or parent, fragment.selection_set, inner, depth)  # type: ignore[arg-type]

    def _field(self, parent: GraphQLNamedType, node: FieldNode, prefix: str, depth: int) -> None:
        key = (node.alias or node.name).value
        if node.name.value == "__typename":
            field_type: GraphQLOutputType = GraphQLNonNull(GraphQLString)
        elif isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(node.name.value)
            if definition is None:
                return
            field_type = definition.type
        else:
            return
        path = f"{prefix}.{key}" if prefix else key
        self.fields[path] = self.field(field_type)
        inner = path
        unwrapped = get_nullable_type(field_type)
        while isinstance(unwrapped, GraphQLList):
            inner += "[]"
            unwrapped = get_nullable_type(unwrapped.of_type)
        self.walk(field_type, node.selection_set, inner, depth + 1)
