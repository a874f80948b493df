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

The supergraph model reads the applications once, with the supergraph
(:class:`~gateway.supergraph.directives.SchemaDirectives`); this index turns them into
:class:`~gateway.authz.requirements.Requirement` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from gateway.authz.requirements import Requirement, alternatives
from gateway.composition.links import SchemaLinks
from gateway.supergraph.directives import AUTH_SPECS, AuthDirective, SchemaDirectives

__all__ = ["AuthorizationIndex", "DirectiveNames", "UnsupportedSpecError", "directive_names"]

_AUTHENTICATED, _REQUIRES_SCOPES, _POLICY = AUTH_SPECS


class UnsupportedSpecError(ValueError):
    """The supergraph links an authorization spec version this gateway does not know."""


@dataclass(frozen=True, slots=True)
class DirectiveNames:
    """The names the three directives go by in one supergraph."""

    authenticated: str = _AUTHENTICATED
    requires_scopes: str = _REQUIRES_SCOPES
    policy: str = _POLICY


def directive_names(links: SchemaLinks) -> DirectiveNames:
    """Resolve the local directive names from the supergraph's ``@link`` applications."""
    for spec in AUTH_SPECS:
        link = links.get(spec)
        if link is not None and (link.version is None or link.version[0] != 0):
            raise UnsupportedSpecError(
                f"unsupported authorization spec version: {link.identity} {link.version}"
            )
    return DirectiveNames(*(links.directive_name(spec, spec, "federation") for spec in AUTH_SPECS))


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


def _requirement(directives: Iterable[AuthDirective]) -> Requirement | None:
    requirement: Requirement | None = None
    for directive in directives:
        if directive.kind == _AUTHENTICATED:
            found = Requirement(authenticated=True)
        elif directive.kind == _REQUIRES_SCOPES:
            found = Requirement(scopes=alternatives(_nested_names(directive.value, directive.name)))
        else:
            found = Requirement(
                policies=alternatives(_nested_names(directive.value, directive.name))
            )
        requirement = found if requirement is None else requirement.both(found)
    return None if requirement is None or requirement.is_empty else requirement


@dataclass(frozen=True, slots=True)
class AuthorizationIndex:
    """Requirements by type name and by ``(type name, field name)``; absent means none."""

    types: Mapping[str, Requirement]
    fields: Mapping[tuple[str, str], Requirement]
    names: DirectiveNames

    @classmethod
    def from_directives(cls, directives: SchemaDirectives) -> AuthorizationIndex:
        """The requirements of the directives the supergraph model read (no parsing here).

        Raises :class:`UnsupportedSpecError` for an authorization spec version other than
        ``v0.x``, and :class:`ValueError` for scopes or policies that are not lists of strings.
        """
        names = directive_names(directives.links)
        types: dict[str, Requirement] = {}
        fields: dict[tuple[str, str], Requirement] = {}
        for coordinate, applications in directives.auth.items():
            requirement = _requirement(applications)
            if requirement is None:
                continue
            type_name, _, field_name = coordinate.partition(".")
            if field_name:
                fields[(type_name, field_name)] = requirement
            else:
                types[type_name] = requirement
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
