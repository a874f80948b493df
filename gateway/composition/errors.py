"""The composition error model: stable codes, where each problem is, and the collected failure.

Composition never stops at the first problem: every stage appends :class:`CompositionError`
values to a list and the pipeline raises :class:`CompositionFailedError` once, with all of them.
Codes follow the names Apollo Federation uses, so a report can be compared with the output of
other composers; codes specific to Ordergate (sources, configuration) are marked as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["CompositionError", "CompositionFailedError", "ErrorCode", "SourceLocation"]


class ErrorCode(StrEnum):
    """Every stable error code composition can report (the value is the code)."""

    # Input and GraphQL validity
    INVALID_GRAPHQL = "INVALID_GRAPHQL"
    INVALID_SUBGRAPH_NAME = "INVALID_SUBGRAPH_NAME"
    DIRECTIVE_DEFINITION_INVALID = "DIRECTIVE_DEFINITION_INVALID"
    TYPE_DEFINITION_INVALID = "TYPE_DEFINITION_INVALID"
    UNKNOWN_FEDERATION_LINK_VERSION = "UNKNOWN_FEDERATION_LINK_VERSION"
    INVALID_LINK_IDENTIFIER = "INVALID_LINK_IDENTIFIER"
    INVALID_LINK_DIRECTIVE_USAGE = "INVALID_LINK_DIRECTIVE_USAGE"
    LINK_IMPORT_NAME_MISMATCH = "LINK_IMPORT_NAME_MISMATCH"
    UNSUPPORTED_FEATURE = "UNSUPPORTED_FEATURE"
    ROOT_QUERY_USED = "ROOT_QUERY_USED"
    ROOT_MUTATION_USED = "ROOT_MUTATION_USED"
    ROOT_SUBSCRIPTION_USED = "ROOT_SUBSCRIPTION_USED"
    # @key / @requires / @provides field sets
    KEY_FIELDS_HAS_ARGS = "KEY_FIELDS_HAS_ARGS"
    PROVIDES_FIELDS_HAS_ARGS = "PROVIDES_FIELDS_HAS_ARGS"
    KEY_FIELDS_SELECT_INVALID_TYPE = "KEY_FIELDS_SELECT_INVALID_TYPE"
    KEY_INVALID_FIELDS = "KEY_INVALID_FIELDS"
    PROVIDES_INVALID_FIELDS = "PROVIDES_INVALID_FIELDS"
    REQUIRES_INVALID_FIELDS = "REQUIRES_INVALID_FIELDS"
    KEY_INVALID_FIELDS_TYPE = "KEY_INVALID_FIELDS_TYPE"
    PROVIDES_INVALID_FIELDS_TYPE = "PROVIDES_INVALID_FIELDS_TYPE"
    REQUIRES_INVALID_FIELDS_TYPE = "REQUIRES_INVALID_FIELDS_TYPE"
    KEY_DIRECTIVE_IN_FIELDS_ARG = "KEY_DIRECTIVE_IN_FIELDS_ARG"
    PROVIDES_DIRECTIVE_IN_FIELDS_ARG = "PROVIDES_DIRECTIVE_IN_FIELDS_ARG"
    REQUIRES_DIRECTIVE_IN_FIELDS_ARG = "REQUIRES_DIRECTIVE_IN_FIELDS_ARG"
    KEY_UNSUPPORTED_ON_INTERFACE = "KEY_UNSUPPORTED_ON_INTERFACE"
    PROVIDES_UNSUPPORTED_ON_INTERFACE = "PROVIDES_UNSUPPORTED_ON_INTERFACE"
    REQUIRES_UNSUPPORTED_ON_INTERFACE = "REQUIRES_UNSUPPORTED_ON_INTERFACE"
    PROVIDES_FIELDS_MISSING_EXTERNAL = "PROVIDES_FIELDS_MISSING_EXTERNAL"
    REQUIRES_FIELDS_MISSING_EXTERNAL = "REQUIRES_FIELDS_MISSING_EXTERNAL"
    PROVIDES_ON_NON_OBJECT_FIELD = "PROVIDES_ON_NON_OBJECT_FIELD"
    # @external
    EXTERNAL_UNUSED = "EXTERNAL_UNUSED"
    TYPE_WITH_ONLY_UNUSED_EXTERNAL = "TYPE_WITH_ONLY_UNUSED_EXTERNAL"
    EXTERNAL_ON_INTERFACE = "EXTERNAL_ON_INTERFACE"
    EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE = "EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE"
    EXTERNAL_MISSING_ON_BASE = "EXTERNAL_MISSING_ON_BASE"
    EXTERNAL_TYPE_MISMATCH = "EXTERNAL_TYPE_MISMATCH"
    EXTERNAL_ARGUMENT_MISSING = "EXTERNAL_ARGUMENT_MISSING"
    EXTERNAL_ARGUMENT_TYPE_MISMATCH = "EXTERNAL_ARGUMENT_TYPE_MISMATCH"
    EXTERNAL_ARGUMENT_DEFAULT_MISMATCH = "EXTERNAL_ARGUMENT_DEFAULT_MISMATCH"
    MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL = "MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL"
    EXTENSION_WITH_NO_BASE = "EXTENSION_WITH_NO_BASE"
    # Sharing and merging
    INVALID_FIELD_SHARING = "INVALID_FIELD_SHARING"
    INVALID_SHAREABLE_USAGE = "INVALID_SHAREABLE_USAGE"
    TYPE_KIND_MISMATCH = "TYPE_KIND_MISMATCH"
    FIELD_TYPE_MISMATCH = "FIELD_TYPE_MISMATCH"
    FIELD_ARGUMENT_TYPE_MISMATCH = "FIELD_ARGUMENT_TYPE_MISMATCH"
    FIELD_ARGUMENT_DEFAULT_MISMATCH = "FIELD_ARGUMENT_DEFAULT_MISMATCH"
    INPUT_FIELD_DEFAULT_MISMATCH = "INPUT_FIELD_DEFAULT_MISMATCH"
    REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH = "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH"
    REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH = "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH"
    EMPTY_MERGED_INPUT_TYPE = "EMPTY_MERGED_INPUT_TYPE"
    ENUM_VALUE_MISMATCH = "ENUM_VALUE_MISMATCH"
    EMPTY_MERGED_ENUM_TYPE = "EMPTY_MERGED_ENUM_TYPE"
    INTERFACE_FIELD_NO_IMPLEM = "INTERFACE_FIELD_NO_IMPLEM"
    NO_QUERIES = "NO_QUERIES"
    SATISFIABILITY_ERROR = "SATISFIABILITY_ERROR"
    SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES = "SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES"
    # @override
    OVERRIDE_FROM_SELF_ERROR = "OVERRIDE_FROM_SELF_ERROR"
    OVERRIDE_SOURCE_HAS_OVERRIDE = "OVERRIDE_SOURCE_HAS_OVERRIDE"
    OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE = "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE"
    OVERRIDE_ON_INTERFACE = "OVERRIDE_ON_INTERFACE"
    OVERRIDE_LABEL_INVALID = "OVERRIDE_LABEL_INVALID"
    # Interfaces, @interfaceObject
    INTERFACE_OBJECT_USAGE_ERROR = "INTERFACE_OBJECT_USAGE_ERROR"
    INTERFACE_KEY_NOT_ON_IMPLEMENTATION = "INTERFACE_KEY_NOT_ON_IMPLEMENTATION"
    INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE = "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE"
    # @inaccessible
    REFERENCED_INACCESSIBLE = "REFERENCED_INACCESSIBLE"
    DEFAULT_VALUE_USES_INACCESSIBLE = "DEFAULT_VALUE_USES_INACCESSIBLE"
    QUERY_ROOT_TYPE_INACCESSIBLE = "QUERY_ROOT_TYPE_INACCESSIBLE"
    REQUIRED_INACCESSIBLE = "REQUIRED_INACCESSIBLE"
    IMPLEMENTED_BY_INACCESSIBLE = "IMPLEMENTED_BY_INACCESSIBLE"
    ONLY_INACCESSIBLE_CHILDREN = "ONLY_INACCESSIBLE_CHILDREN"
    # Demand control and authorization
    COST_APPLIED_TO_INTERFACE_FIELD = "COST_APPLIED_TO_INTERFACE_FIELD"
    LIST_SIZE_APPLIED_TO_NON_LIST = "LIST_SIZE_APPLIED_TO_NON_LIST"
    LIST_SIZE_INVALID_ASSUMED_SIZE = "LIST_SIZE_INVALID_ASSUMED_SIZE"
    LIST_SIZE_INVALID_SLICING_ARGUMENT = "LIST_SIZE_INVALID_SLICING_ARGUMENT"
    LIST_SIZE_INVALID_SIZED_FIELD = "LIST_SIZE_INVALID_SIZED_FIELD"
    AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE = "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE"
    # Ordergate-specific: getting the subgraph SDLs
    SUBGRAPH_CONFIG_INVALID = "SUBGRAPH_CONFIG_INVALID"
    SUBGRAPH_SDL_UNAVAILABLE = "SUBGRAPH_SDL_UNAVAILABLE"


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A position in one subgraph's SDL (1-based line and column)."""

    subgraph: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.subgraph}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class CompositionError:
    """One composition problem: a stable code, a readable message and where it comes from.

    ``subgraph`` names the subgraph the problem belongs to when it belongs to exactly one;
    ``locations`` point into the SDL of every subgraph involved.
    """

    code: ErrorCode
    message: str
    subgraph: str | None = None
    locations: tuple[SourceLocation, ...] = field(default=())

    def __str__(self) -> str:
        prefix = f"[{self.subgraph}] " if self.subgraph else ""
        return f"{self.code}: {prefix}{self.message}"

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly form (for ``ordergate compose --json`` and logs)."""
        return {
            "code": str(self.code),
            "message": self.message,
            "subgraph": self.subgraph,
            "locations": [
                {"subgraph": loc.subgraph, "line": loc.line, "column": loc.column}
                for loc in self.locations
            ],
        }


class CompositionFailedError(Exception):
    """Raised once composition has collected at least one error; carries all of them."""

    def __init__(self, errors: Sequence[CompositionError]) -> None:
        self.errors: tuple[CompositionError, ...] = tuple(errors)
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.errors)
        first = str(self.errors[0]) if self.errors else "no details"
        more = f" (and {count - 1} more)" if count > 1 else ""
        return f"composition failed with {count} error(s): {first}{more}"

    @property
    def codes(self) -> list[str]:
        """The codes of all errors, in report order."""
        return [str(error.code) for error in self.errors]


def locations_of(subgraph: str, nodes: Iterable[object]) -> tuple[SourceLocation, ...]:
    """Locations in ``subgraph`` of graphql-core AST ``nodes`` (those that have one)."""
    found: list[SourceLocation] = []
    for node in nodes:
        loc = getattr(node, "loc", None)
        source = getattr(loc, "source", None)
        if loc is None or source is None:
            continue
        position = source.get_location(loc.start)
        found.append(SourceLocation(subgraph, position.line, position.column))
    return tuple(found)
