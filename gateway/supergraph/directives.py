"""What authorization and cost read from a schema's directives, read once with the schema.

The reader walks a parsed schema document (a supergraph, or a plain schema) once and keeps, by
schema coordinate (``Type``, ``Type.field``, ``Type.field(arg:)``, ``Input.field``):

- the authorization directives ``@authenticated``, ``@requiresScopes`` and ``@policy`` on object
  types, interfaces, scalars, enums and fields of objects and interfaces (definitions and
  extensions; several applications on one element are all kept);
- ``@cost`` on types, fields, arguments and input fields (the first application of an element);
- ``@listSize`` (repeatable) on fields;
- the first ``@join__field(requires:)`` of each field.

Each directive is recognised under whatever name the schema's ``@link`` gives it
(:class:`~gateway.composition.links.SchemaLinks`); authorization directives also through the
federation link (``@federation__authenticated``); without a link the plain names apply. Argument
values are kept as written (untyped Python values); the features that read them
(:mod:`gateway.authz`, :mod:`gateway.limits`) check them when they build their indexes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    value_from_ast_untyped,
)

from gateway.composition.links import SchemaLinks

__all__ = [
    "AUTH_SPECS",
    "AuthDirective",
    "AuthKind",
    "CostDirective",
    "CostDirectiveNames",
    "ListSizeDirective",
    "SchemaDirectives",
    "cost_directive_names",
    "read_directives",
]

AuthKind = Literal["authenticated", "requiresScopes", "policy"]
#: the authorization specs, each named like its one directive
AUTH_SPECS: tuple[AuthKind, ...] = ("authenticated", "requiresScopes", "policy")
#: the argument carrying each authorization directive's names
_AUTH_ARGUMENT: dict[AuthKind, str | None] = {
    "authenticated": None,
    "requiresScopes": "scopes",
    "policy": "policies",
}

_AUTH_OWNERS = (
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
)
_FIELD_OWNERS = (
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
)
_INPUT_OWNERS = (InputObjectTypeDefinitionNode, InputObjectTypeExtensionNode)
_DEFINITIONS = (
    ObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    EnumTypeDefinitionNode,
    UnionTypeDefinitionNode,
    InputObjectTypeDefinitionNode,
)
_EXTENSIONS = (
    ObjectTypeExtensionNode,
    InterfaceTypeExtensionNode,
    ScalarTypeExtensionNode,
    EnumTypeExtensionNode,
    UnionTypeExtensionNode,
    InputObjectTypeExtensionNode,
)


@dataclass(frozen=True, slots=True)
class CostDirectiveNames:
    """The names of ``@cost``, ``@listSize`` and ``@join__field`` in one schema."""

    cost: str = "cost"
    list_size: str = "listSize"
    join_field: str = "join__field"


def cost_directive_names(links: SchemaLinks) -> CostDirectiveNames:
    """The names under which a schema with ``links`` uses the cost directives and
    ``@join__field`` (the cost spec, else the federation spec, else the plain names)."""
    join = links.get("join")
    return CostDirectiveNames(
        cost=links.directive_name("cost", "cost", "federation"),
        list_size=links.directive_name("cost", "listSize", "federation"),
        join_field=join.directive_name("field") if join else "join__field",
    )


@dataclass(frozen=True, slots=True)
class AuthDirective:
    """One application of ``@authenticated``, ``@requiresScopes`` or ``@policy``."""

    kind: AuthKind
    #: the directive's name in the schema (``needs`` for an imported ``@requiresScopes``)
    name: str
    #: ``scopes:`` of ``@requiresScopes`` or ``policies:`` of ``@policy``, as written
    value: Any = None


@dataclass(frozen=True, slots=True)
class CostDirective:
    """One ``@cost`` application: its ``weight:`` as written (a number, a string or anything)."""

    weight: Any


@dataclass(frozen=True, slots=True)
class ListSizeDirective:
    """One ``@listSize`` application on a field; each argument as written (``None``: absent)."""

    assumed_size: Any = None
    slicing_arguments: Any = None
    sized_fields: Any = None
    require_one_slicing_argument: Any = None


@dataclass(frozen=True, slots=True)
class SchemaDirectives:
    """The authorization and cost directives of one schema, by schema coordinate."""

    links: SchemaLinks
    #: ``Type`` or ``Type.field`` -> its authorization directives, in document order
    auth: Mapping[str, tuple[AuthDirective, ...]]
    #: ``Type``, ``Type.field``, ``Type.field(arg:)`` or ``Input.field`` -> its ``@cost``
    cost: Mapping[str, CostDirective]
    #: ``Type.field`` -> its ``@listSize`` applications
    list_sizes: Mapping[str, tuple[ListSizeDirective, ...]]
    #: ``Type.field`` -> its ``@join__field(requires:)`` selection
    requires: Mapping[str, str]


def _arguments(directive: ConstDirectiveNode) -> dict[str, Any]:
    return {arg.name.value: value_from_ast_untyped(arg.value) for arg in directive.arguments or ()}


class _Reader:
    def __init__(self, links: SchemaLinks) -> None:
        self.auth_names: dict[str, AuthKind] = {
            links.directive_name(spec, spec, "federation"): spec for spec in AUTH_SPECS
        }
        self.cost_names = cost_directive_names(links)
        self.auth: dict[str, list[AuthDirective]] = {}
        self.cost: dict[str, CostDirective] = {}
        self.list_sizes: dict[str, list[ListSizeDirective]] = {}
        self.requires: dict[str, str] = {}

    def read_auth(self, coordinate: str, directives: Iterable[ConstDirectiveNode]) -> None:
        for directive in directives:
            kind = self.auth_names.get(directive.name.value)
            if kind is None:
                continue
            argument = _AUTH_ARGUMENT[kind]
            value = _arguments(directive).get(argument) if argument else None
            found = AuthDirective(kind, directive.name.value, value)
            self.auth.setdefault(coordinate, []).append(found)

    def read_cost(self, coordinate: str, directives: Iterable[ConstDirectiveNode]) -> None:
        for directive in directives:
            if directive.name.value == self.cost_names.cost and coordinate not in self.cost:
                self.cost[coordinate] = CostDirective(_arguments(directive).get("weight"))

    def read_field(self, coordinate: str, directives: Sequence[ConstDirectiveNode]) -> None:
        self.read_cost(coordinate, directives)
        for directive in directives:
            name = directive.name.value
            if name == self.cost_names.list_size:
                arguments = _arguments(directive)
                self.list_sizes.setdefault(coordinate, []).append(
                    ListSizeDirective(
                        arguments.get("assumedSize"),
                        arguments.get("slicingArguments"),
                        arguments.get("sizedFields"),
                        arguments.get("requireOneSlicingArgument"),
                    )
                )
            elif name == self.cost_names.join_field and coordinate not in self.requires:
                requires = next(
                    (a.value for a in directive.arguments or () if a.name.value == "requires"),
                    None,
                )
                if isinstance(requires, StringValueNode):
                    self.requires[coordinate] = requires.value

    def read_type(self, node: TypeDefinitionNode | TypeExtensionNode) -> None:
        type_name = node.name.value
        directives = tuple(node.directives or ())
        if isinstance(node, _AUTH_OWNERS):
            self.read_auth(type_name, directives)
        self.read_cost(type_name, directives)
        if isinstance(node, _FIELD_OWNERS):
            for field in node.fields or ():
                coordinate = f"{type_name}.{field.name.value}"
                self.read_auth(coordinate, field.directives or ())
                self.read_field(coordinate, tuple(field.directives or ()))
                for argument in field.arguments or ():
                    self.read_cost(
                        f"{coordinate}({argument.name.value}:)", argument.directives or ()
                    )
        if isinstance(node, _INPUT_OWNERS):
            for input_field in node.fields or ():
                self.read_cost(
                    f"{type_name}.{input_field.name.value}", input_field.directives or ()
                )

    def result(self, links: SchemaLinks) -> SchemaDirectives:
        return SchemaDirectives(
            links=links,
            auth=MappingProxyType({k: tuple(v) for k, v in self.auth.items()}),
            cost=MappingProxyType(dict(self.cost)),
            list_sizes=MappingProxyType({k: tuple(v) for k, v in self.list_sizes.items()}),
            requires=MappingProxyType(dict(self.requires)),
        )


def read_directives(document: DocumentNode) -> SchemaDirectives:
    """The authorization and cost directives of the parsed schema ``document``."""
    links = SchemaLinks.of(document)
    reader = _Reader(links)
    # a type's own definition first, then its extensions (as graphql-core orders AST nodes)
    for kinds in (_DEFINITIONS, _EXTENSIONS):
        for definition in document.definitions:
            if isinstance(definition, kinds):
                reader.read_type(definition)
    return reader.result(links)
