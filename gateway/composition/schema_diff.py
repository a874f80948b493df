"""Classify the changes between two API schemas: breaking, dangerous or safe.

- **breaking**: an operation that is valid today may fail (a type, field, argument or enum
  value removed, a field's type changed incompatibly, a required argument or input field added).
- **dangerous**: operations stay valid but clients may see something they do not expect (an
  enum value or union member added, a default value changed, an optional argument added).
- **safe**: additions and compatible narrowing (a field added, a nullable field made non-null,
  a description changed, an element deprecated).

graphql-core's ``find_schema_changes`` does the comparison; deprecations are added here.
Inputs may be supergraphs: their API schema (no join/link machinery, nothing @inaccessible)
is compared.
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

from gateway.composition._api_schema import api_schema_of

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


def _deprecations(old: GraphQLSchema, new: GraphQLSchema) -> list[SchemaChange]:
    changes: list[SchemaChange] = []
    for name, new_type in new.type_map.items():
        old_type = old.type_map.get(name)
        if name.startswith("__") or old_type is None or type(old_type) is not type(new_type):
            continue
        if isinstance(new_type, GraphQLObjectType | GraphQLInterfaceType):
            assert isinstance(old_type, GraphQLObjectType | GraphQLInterfaceType)
            pairs = [
                (f"{name}.{f}", old_type.fields[f].deprecation_reason, field.deprecation_reason)
                for f, field in new_type.fields.items()
                if f in old_type.fields
            ]
        elif isinstance(new_type, GraphQLEnumType):
            assert isinstance(old_type, GraphQLEnumType)
            pairs = [
                (f"{name}.{v}", old_type.values[v].deprecation_reason, value.deprecation_reason)
                for v, value in new_type.values.items()
                if v in old_type.values
            ]
        else:
            continue
        for coordinate, before, after in pairs:
            if before is None and after is not None:
                changes.append(
                    SchemaChange(
                        ChangeLevel.SAFE, "DEPRECATED", f"{coordinate} was deprecated: {after}"
                    )
                )
            elif before is not None and after is None:
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


def diff_schemas(old: GraphQLSchema, new: GraphQLSchema) -> list[SchemaChange]:
    """Every change from ``old`` to ``new``, breaking first."""
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
    changes.extend(_deprecations(old, new))
    order = {ChangeLevel.BREAKING: 0, ChangeLevel.DANGEROUS: 1, ChangeLevel.SAFE: 2}
    return sorted(changes, key=lambda c: order[c.level])


def diff_sdl(old_sdl: str, new_sdl: str) -> list[SchemaChange]:
    """:func:`diff_schemas` of two SDLs (supergraphs or API schemas)."""
    return diff_schemas(api_schema_of(old_sdl), api_schema_of(new_sdl))
