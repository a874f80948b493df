"""The authorization requirements written in a supergraph, by type and by field.

Apollo composition keeps ``@authenticated``, ``@requiresScopes`` and ``@policy`` in the
supergraph, each linked to its spec::

    schema @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY) { ... }

The directive may be renamed: ``@link(..., as: "scopes")`` makes it ``@scopes``, and
``@link(..., import: [{name: "@requiresScopes", as: "@needs"}])`` makes it ``@needs``. They can
also come through the federation spec link (``import: ["@authenticated"]`` or the namespaced
``@federation__authenticated``). Without any link the plain names apply. Directives are read on
object types, interfaces, scalars, enums (type-level) and on fields of objects and interfaces,
definitions and extensions alike (several applications on one element are ANDed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    parse,
    value_from_ast_untyped,
)

from gateway.authz.requirements import Requirement, alternatives
from gateway.supergraph.links import SchemaLinks

__all__ = ["AuthorizationIndex", "DirectiveNames", "UnsupportedSpecError", "directive_names"]

_AUTHENTICATED, _REQUIRES_SCOPES, _POLICY = "authenticated", "requiresScopes", "policy"
_TYPE_NODES = (
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


class UnsupportedSpecError(ValueError):
    """The supergraph links an authorization spec version this gateway does not know."""


@dataclass(frozen=True, slots=True)
class DirectiveNames:
    """The names the three directives go by in one supergraph."""

    authenticated: str = _AUTHENTICATED
    requires_scopes: str = _REQUIRES_SCOPES
    policy: str = _POLICY


def _arguments(directive: ConstDirectiveNode) -> dict[str, Any]:
    return {arg.name.value: value_from_ast_untyped(arg.value) for arg in directive.arguments or ()}


def directive_names(document: DocumentNode) -> DirectiveNames:
    """Resolve the local directive names from the supergraph's ``@link`` applications."""
    links = SchemaLinks.of(document)
    for spec in (_AUTHENTICATED, _REQUIRES_SCOPES, _POLICY):
        link = links.get(spec)
        if link is not None and (link.version is None or link.version[0] != 0):
            raise UnsupportedSpecError(
                f"unsupported authorization spec version: {link.identity} {link.version}"
            )
    return DirectiveNames(
        *(
            links.directive_name(spec, spec, "federation")
            for spec in (_AUTHENTICATED, _REQUIRES_SCOPES, _POLICY)
        )
    )


def _nested_names(value: Any, what: str) -> list[list[str]]:
    """A ``[[String!]!]!`` argument, with GraphQL's list coercion of single values."""
    outer = value if isinstance(value, list) else [value]
    result = []
    for inner in outer:
        items = inner if isinstance(inner, list) else [inner]
        if not all(isinstance(item, str) for item in items):
            raise ValueError(f"@{what} expects lists of strings, not {value!r}")
        result.append(items)
    return result


def _requirement(
    directives: Iterable[ConstDirectiveNode], names: DirectiveNames
) -> Requirement | None:
    requirement: Requirement | None = None
    for directive in directives:
        name = directive.name.value
        arguments = _arguments(directive)
        if name == names.authenticated:
            found = Requirement(authenticated=True)
        elif name == names.requires_scopes:
            found = Requirement(scopes=alternatives(_nested_names(arguments.get("scopes"), name)))
        elif name == names.policy:
            found = Requirement(
                policies=alternatives(_nested_names(arguments.get("policies"), name))
            )
        else:
            continue
        requirement = found if requirement is None else requirement.both(found)
    return None if requirement is None or requirement.is_empty else requirement


def _add(table: dict[Any, Requirement], key: Any, requirement: Requirement | None) -> None:
    if requirement is not None:
        table[key] = table[key].both(requirement) if key in table else requirement


@dataclass(frozen=True, slots=True)
class AuthorizationIndex:
    """Requirements by type name and by ``(type name, field name)``; absent means none."""

    types: Mapping[str, Requirement]
    fields: Mapping[tuple[str, str], Requirement]
    names: DirectiveNames

    @classmethod
    def from_supergraph(cls, supergraph: str | DocumentNode) -> AuthorizationIndex:
        """Read the requirements of a supergraph SDL (text or parsed)."""
        document = parse(supergraph) if isinstance(supergraph, str) else supergraph
        names = directive_names(document)
        types: dict[str, Requirement] = {}
        fields: dict[tuple[str, str], Requirement] = {}
        for definition in document.definitions:
            if not isinstance(definition, _TYPE_NODES):
                continue
            type_name = definition.name.value
            _add(types, type_name, _requirement(definition.directives or (), names))
            if isinstance(definition, _FIELD_OWNERS):
                for field in definition.fields or ():
                    key = (type_name, field.name.value)
                    _add(fields, key, _requirement(field.directives or (), names))
        return cls(MappingProxyType(types), MappingProxyType(fields), names)

    @property
    def is_empty(self) -> bool:
        """``True`` when the supergraph restricts nothing."""
        return not self.types and not self.fields

    @property
    def policy_names(self) -> frozenset[str]:
        """Every policy the supergraph names (each must be registered to ever pass)."""
        requirements = [*self.types.values(), *self.fields.values()]
        return frozenset().union(*(requirement.policy_names for requirement in requirements))

    def type_requirement(self, type_name: str) -> Requirement | None:
        """What the type demands wherever it is returned or used as a type condition."""
        return self.types.get(type_name)

    def field_requirement(self, type_name: str, field_name: str) -> Requirement | None:
        """What the field of ``type_name`` demands, on top of its return type's demand."""
        return self.fields.get((type_name, field_name))
