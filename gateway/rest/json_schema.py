"""GraphQL types as JSON Schema (OpenAPI 3.1): inputs by type, outputs by selection set.

Input types (what a route's bindings carry) become schemas of the whole type: enums and input
objects are components (``#/components/schemas/<Name>``) so that recursive inputs work and a
client generator names them. A response is the value of the route's root field, so its schema
is built from the operation's selection set: only the selected fields, under their response
keys (aliases), through fragment spreads and inline fragments, with the nullability the API
schema gives them. Scalars map as ``ID``/``String`` -> ``string``, ``Int`` -> ``integer``
(int32 bounds), ``Float`` -> ``number``, ``Boolean`` -> ``boolean``, ``DateTime`` -> ``string``
``date-time``; any other custom scalar -> ``string`` with the scalar's description. A nullable
value is a 3.1 type array (``["string", "null"]``) or ``oneOf`` with ``{"type": "null"}`` around a
``$ref``.

Usage::

    components = SchemaComponents()
    body = components.input_schema(binding.type)
    result = components.selection_schema(root_type, root_field_node, fragments, variables)
    document["components"]["schemas"] = components.schemas()
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
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
    GraphQLUnionType,
    InlineFragmentNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.pyutils import Undefined
from graphql.utilities import value_from_ast_untyped

__all__ = ["JsonSchema", "SchemaComponents", "default_of", "nullable", "scalar_schema"]

#: a JSON Schema object as it goes into the OpenAPI document
JsonSchema = dict[str, Any]

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1

_TYPENAME = "__typename"


def scalar_schema(scalar: GraphQLScalarType) -> JsonSchema:
    """The JSON Schema of a scalar's serialized value (non-null)."""
    name = scalar.name
    if name in ("ID", "String"):
        return {"type": "string"}
    if name == "Int":
        return {"type": "integer", "format": "int32", "minimum": INT32_MIN, "maximum": INT32_MAX}
    if name == "Float":
        return {"type": "number"}
    if name == "Boolean":
        return {"type": "boolean"}
    if name == "DateTime":
        return {"type": "string", "format": "date-time"}
    description = scalar.description or f"The GraphQL scalar {name}, serialized as a string."
    return {"type": "string", "description": description}


def nullable(schema: JsonSchema) -> JsonSchema:
    """``schema`` that also admits ``null``."""
    kind = schema.get("type")
    if isinstance(kind, str) and "$ref" not in schema and "enum" not in schema:
        return {**schema, "type": [kind, "null"]}
    if isinstance(kind, list):
        return schema if "null" in kind else {**schema, "type": [*kind, "null"]}
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    return {"oneOf": [schema, {"type": "null"}]}


@dataclass(frozen=True, slots=True)
class _Collected:
    """The field nodes selected under one response key, and whether the key is always there."""

    nodes: list[FieldNode] = field(default_factory=list)
    conditional: bool = False


class SchemaComponents:
    """Collects the enum and input-object components the generated schemas refer to."""

    def __init__(self, schema: GraphQLSchema, reserved: frozenset[str] = frozenset()) -> None:
        self._schema = schema
        #: component names the document uses for something else (``Problem``): a GraphQL type
        #: of that name becomes ``<Name>Type``
        self._reserved = reserved
        self._components: dict[str, JsonSchema] = {}

    def component_name(self, type_name: str) -> str:
        """The component name of the GraphQL type ``type_name``."""
        return f"{type_name}Type" if type_name in self._reserved else type_name

    def schemas(self) -> dict[str, JsonSchema]:
        """The components referred to so far, sorted by name."""
        return {name: self._components[name] for name in sorted(self._components)}

    # -- inputs --------------------------------------------------------------------------

    def input_schema(self, type_: GraphQLInputType) -> JsonSchema:
        """The schema of a value of ``type_`` (``null`` admitted unless non-null)."""
        if isinstance(type_, GraphQLNonNull):
            return self._input_non_null(type_.of_type)
        return nullable(self._input_non_null(type_))

    def parameter_schema(self, type_: GraphQLInputType) -> JsonSchema:
        """The schema of a path, query or header value of ``type_``: never null (an absent
        parameter is how a null is sent), list items neither."""
        type_ = _unwrap_non_null(type_)
        if isinstance(type_, GraphQLList):
            return {"type": "array", "items": self.parameter_schema(type_.of_type)}
        return self._input_non_null(type_)

    def _input_non_null(self, type_: GraphQLInputType) -> JsonSchema:
        if isinstance(type_, GraphQLList):
            return {"type": "array", "items": self.input_schema(type_.of_type)}
        if isinstance(type_, GraphQLScalarType):
            return scalar_schema(type_)
        if isinstance(type_, GraphQLEnumType):
            return self._enum_ref(type_)
        if isinstance(type_, GraphQLInputObjectType):
            return self._input_object_ref(type_)
        raise TypeError(f"not an input type: {type_}")

    def input_object_schema(
        self, type_: GraphQLInputObjectType, excluded: Sequence[tuple[str, ...]] = ()
    ) -> JsonSchema:
        """The object schema of ``type_`` inline, without the fields at ``excluded`` paths
        (fields bound to another source); the component when nothing is excluded."""
        if not excluded:
            return self._input_object_ref(type_)
        here = {path[0] for path in excluded if len(path) == 1}
        deeper: dict[str, list[tuple[str, ...]]] = {}
        for path in excluded:
            if len(path) > 1:
                deeper.setdefault(path[0], []).append(path[1:])
        properties: dict[str, JsonSchema] = {}
        required: list[str] = []
        for name, input_field in type_.fields.items():
            if name in here:
                continue
            field_type = input_field.type
            named = _unwrap_non_null(field_type)
            if name in deeper and isinstance(named, GraphQLInputObjectType):
                inner = self.input_object_schema(named, deeper[name])
                schema = inner if isinstance(field_type, GraphQLNonNull) else nullable(inner)
                properties[name] = schema
            else:
                properties[name] = self._input_field(input_field.type, input_field)
            if _required_input(field_type, input_field) and name not in deeper:
                required.append(name)
        result: JsonSchema = {"type": "object", "properties": properties}
        if required:
            result["required"] = required
        result["additionalProperties"] = False
        if type_.description:
            result["description"] = type_.description
        return result

    def _input_field(self, type_: GraphQLInputType, input_field: Any) -> JsonSchema:
        schema = dict(self.input_schema(type_))
        default = default_of(input_field)
        if default is not Undefined:
            schema["default"] = default
        if input_field.description:
            schema = {**schema, "description": input_field.description}
        if input_field.deprecation_reason:
            schema = {**schema, "deprecated": True}
        return schema

    def _enum_ref(self, type_: GraphQLEnumType) -> JsonSchema:
        name = self.component_name(type_.name)
        if name not in self._components:
            schema: JsonSchema = {"type": "string", "enum": list(type_.values)}
            if type_.description:
                schema["description"] = type_.description
            self._components[name] = schema
        return {"$ref": f"#/components/schemas/{name}"}

    def _input_object_ref(self, type_: GraphQLInputObjectType) -> JsonSchema:
        name = self.component_name(type_.name)
        if name not in self._components:
            self._components[name] = {}  # placeholder: recursive inputs refer to it
            properties = {name: self._input_field(f.type, f) for name, f in type_.fields.items()}
            schema: JsonSchema = {"type": "object", "properties": properties}
            if getattr(type_, "is_one_of", False):
                schema["properties"] = {
                    name: self._input_non_null(_unwrap_non_null(f.type))
                    for name, f in type_.fields.items()
                }
                schema["minProperties"] = 1
                schema["maxProperties"] = 1
            else:
                required = [name for name, f in type_.fields.items() if _required_input(f.type, f)]
                if required:
                    schema["required"] = required
            schema["additionalProperties"] = False
            if type_.description:
                schema["description"] = type_.description
            self._components[name] = schema
        return {"$ref": f"#/components/schemas/{name}"}

    # -- outputs -------------------------------------------------------------------------

    def selection_schema(
        self,
        type_: GraphQLOutputType,
        selection_set: SelectionSetNode | None,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> JsonSchema:
        """The schema of a value of ``type_`` as ``selection_set`` shapes it."""
        return _Selection(self, fragments).value(type_, [selection_set] if selection_set else [])

    def output_leaf(self, type_: GraphQLNamedType) -> JsonSchema:
        """A scalar's or an enum's schema (non-null)."""
        if isinstance(type_, GraphQLEnumType):
            return self._enum_ref(type_)
        assert isinstance(type_, GraphQLScalarType)
        return scalar_schema(type_)

    @property
    def graphql_schema(self) -> GraphQLSchema:
        """The API schema the types come from."""
        return self._schema


class _Selection:
    """Walks a selection set (with its fragments) into the response's JSON Schema."""

    def __init__(
        self, components: SchemaComponents, fragments: Mapping[str, FragmentDefinitionNode]
    ) -> None:
        self._components = components
        self._fragments = fragments

    def value(self, type_: GraphQLOutputType, selection_sets: list[SelectionSetNode]) -> JsonSchema:
        if isinstance(type_, GraphQLNonNull):
            return self._non_null(type_.of_type, selection_sets)
        return nullable(self._non_null(type_, selection_sets))

    def _non_null(
        self, type_: GraphQLOutputType, selection_sets: list[SelectionSetNode]
    ) -> JsonSchema:
        if isinstance(type_, GraphQLList):
            return {"type": "array", "items": self.value(type_.of_type, selection_sets)}
        if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
            return self._components.output_leaf(type_)
        if isinstance(type_, GraphQLObjectType):
            return self._object(type_, selection_sets)
        assert isinstance(type_, GraphQLInterfaceType | GraphQLUnionType)
        possible = self._components.graphql_schema.get_possible_types(type_)
        variants: list[JsonSchema] = []
        for concrete in sorted(possible, key=lambda t: t.name):
            variant = self._object(concrete, selection_sets, abstract=type_)
            if variant not in variants:
                variants.append(variant)
        if len(variants) == 1:
            return variants[0]
        return {"anyOf": variants}

    def _object(
        self,
        type_: GraphQLObjectType,
        selection_sets: list[SelectionSetNode],
        abstract: GraphQLNamedType | None = None,
    ) -> JsonSchema:
        collected: dict[str, _Collected] = {}
        for selection_set in selection_sets:
            self._collect(type_, selection_set, collected, conditional=False, seen=set())
        properties: dict[str, JsonSchema] = {}
        required: list[str] = []
        for key, found in collected.items():
            name = found.nodes[0].name.value
            if name == _TYPENAME:
                properties[key] = {"type": "string", "const": type_.name}
            else:
                graphql_field: GraphQLField = type_.fields[name]
                subsets = [n.selection_set for n in found.nodes if n.selection_set is not None]
                schema = self.value(graphql_field.type, subsets)
                if graphql_field.description:
                    schema = _described(schema, graphql_field.description)
                if graphql_field.deprecation_reason:
                    schema = {**schema, "deprecated": True}
                properties[key] = schema
            if not found.conditional:
                required.append(key)
        result: JsonSchema = {"type": "object", "properties": properties}
        if required:
            result["required"] = required
        title = type_.name if abstract is None else f"{type_.name} ({abstract.name})"
        result["title"] = title
        return result

    def _collect(
        self,
        type_: GraphQLObjectType,
        selection_set: SelectionSetNode,
        collected: dict[str, _Collected],
        conditional: bool,
        seen: set[str],
    ) -> None:
        for selection in selection_set.selections:
            included = _included(selection.directives or ())
            if included is False:
                continue
            maybe = conditional or included is None
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                previous = collected.get(key)
                if previous is None:
                    collected[key] = _Collected([selection], maybe)
                else:
                    previous.nodes.append(selection)
                    if not maybe and previous.conditional:
                        collected[key] = _Collected(previous.nodes, False)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, type_):
                    self._collect(type_, selection.selection_set, collected, maybe, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self._fragments.get(name)
                if fragment is None or name in seen:
                    continue
                if self._applies(fragment.type_condition.name.value, type_):
                    self._collect(type_, fragment.selection_set, collected, maybe, seen | {name})

    def _applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        if condition == type_.name:
            return True
        named = self._components.graphql_schema.get_type(condition)
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            return self._components.graphql_schema.is_sub_type(named, type_)
        return False


def _included(directives: Sequence[Any]) -> bool | None:
    """``False`` when ``@skip``/``@include`` drop the selection for sure, ``None`` when a
    variable decides, ``True`` otherwise."""
    result: bool | None = True
    for directive in directives:
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        argument = next((a for a in directive.arguments or () if a.name.value == "if"), None)
        if argument is None:
            continue
        value = argument.value
        if isinstance(value, BooleanValueNode):
            keep = value.value if name == "include" else not value.value
            if not keep:
                return False
        elif isinstance(value, VariableNode):
            result = None
    return result


def _described(schema: JsonSchema, description: str) -> JsonSchema:
    return schema if "description" in schema else {**schema, "description": description}


def _unwrap_non_null(type_: GraphQLInputType) -> GraphQLInputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _required_input(type_: GraphQLInputType, input_field: Any) -> bool:
    return isinstance(type_, GraphQLNonNull) and getattr(input_field, "default", None) is None


def default_of(input_field: Any) -> Any:
    """The JSON value of an input field's (or argument's) default, ``Undefined`` when none."""
    default = getattr(input_field, "default", None)
    if default is None:
        return Undefined
    if default.literal is not None:
        return _json_value(value_from_ast_untyped(default.literal))
    return _json_value(default.value)


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return Undefined if value is Undefined else str(value)
