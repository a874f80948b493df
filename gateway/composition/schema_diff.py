"""Classify the changes between two API schemas: breaking, dangerous or safe.

- **breaking**: an operation that is valid today may fail (a type, field, argument or enum
  value removed, a field's type changed incompatibly, a required argument or input field added).
- **dangerous**: operations stay valid but clients may see something they do not expect (an
  enum value or union member added, a default value changed, an optional argument added).
- **safe**: additions and compatible narrowing (a field added, a nullable field made non-null,
  a description changed, an element deprecated).

graphql-core's ``find_schema_changes`` does the comparison; deprecations are added here.
Inputs may be supergraphs: their API schema (no join/link machinery, nothing @inaccessible;
derived by ``gateway.composition.api_schema``) is compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    specified_scalar_types,
)
from graphql.utilities import BreakingChange, DangerousChange, find_schema_changes

from gateway.composition._api_schema import api_schema_of, deprecations_of

__all__ = ["ChangeLevel", "SchemaChange", "diff_schemas", "diff_sdl"]


class ChangeLevel(StrEnum):
    """How a change affects existing clients."""

    BREAKING = "breaking"
    DANGEROUS = "dangerous"
    SAFE = "safe"


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """One API change: its level, a stable code and a description."""

    level: ChangeLevel
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """JSON-friendly form."""
        return {"level": str(self.level), "code": self.code, "message": self.message}


def _deprecated_in(schema: GraphQLSchema) -> dict[str, str]:
    """coordinate -> deprecation reason, for fields and enum values of ``schema``."""
    found: dict[str, str] = {}
    for name, named in schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            members = {f: field.deprecation_reason for f, field in named.fields.items()}
        elif isinstance(named, GraphQLEnumType):
            members = {v: value.deprecation_reason for v, value in named.values.items()}
        else:
            continue
        found.update({f"{name}.{m}": r for m, r in members.items() if r is not None})
    return found


def _visible(schema: GraphQLSchema, coordinate: str) -> bool:
    type_name, _, member = coordinate.partition(".")
    named = schema.type_map.get(type_name)
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return member in named.fields
    return isinstance(named, GraphQLEnumType) and member in named.values


def _deprecations(
    old: GraphQLSchema, new: GraphQLSchema, before: dict[str, str], after: dict[str, str]
) -> list[SchemaChange]:
    changes: list[SchemaChange] = []
    for coordinate in sorted(set(before) | set(after)):
        if not (_visible(old, coordinate) and _visible(new, coordinate)):
            continue
        if coordinate in after and coordinate not in before:
            changes.append(
                SchemaChange(
                    ChangeLevel.SAFE,
                    "DEPRECATED",
                    f"{coordinate} was deprecated: {after[coordinate]}",
                )
            )
        elif coordinate in before and coordinate not in after:
            changes.append(
                SchemaChange(
                    ChangeLevel.SAFE,
                    "DEPRECATION_REMOVED",
                    f"{coordinate} is no longer deprecated.",
                )
            )
    return changes


def _is_built_in_scalar_presence(code: str, description: str) -> bool:
    """A built-in scalar appears or disappears only because a field starts/stops using it."""
    if code not in ("TYPE_ADDED", "TYPE_REMOVED"):
        return False
    return description.split(" ", 1)[0] in specified_scalar_types


def diff_schemas(
    old: GraphQLSchema,
    new: GraphQLSchema,
    deprecated: tuple[dict[str, str], dict[str, str]] | None = None,
) -> list[SchemaChange]:
    """Every change from ``old`` to ``new``, breaking first.

    ``deprecated`` (coordinate -> reason, before and after) overrides what the schemas say,
    for schemas built without their ``@deprecated`` applications.
    """
    changes: list[SchemaChange] = []
    for change in find_schema_changes(old, new):
        if _is_built_in_scalar_presence(change.type.name, change.description):
            continue
        if isinstance(change, BreakingChange):
            level = ChangeLevel.BREAKING
        elif isinstance(change, DangerousChange):
            level = ChangeLevel.DANGEROUS
        else:
            level = ChangeLevel.SAFE
        changes.append(SchemaChange(level, change.type.name, change.description))
    before, after = deprecated or (_deprecated_in(old), _deprecated_in(new))
    changes.extend(_deprecations(old, new, before, after))
    order = {ChangeLevel.BREAKING: 0, ChangeLevel.DANGEROUS: 1, ChangeLevel.SAFE: 2}
    return sorted(changes, key=lambda c: order[c.level])


def diff_sdl(old_sdl: str, new_sdl: str) -> list[SchemaChange]:
    """:func:`diff_schemas` of two SDLs (supergraphs or API schemas)."""
    deprecated = (deprecations_of(old_sdl), deprecations_of(new_sdl))
    return diff_schemas(api_schema_of(old_sdl), api_schema_of(new_sdl), deprecated)
