"""Page sizes: a slicing argument above its maximum is refused before any subgraph is called.

Every argument a field names in ``@listSize(slicingArguments: ...)`` (``first`` on the
connections) has a maximum: ``limits.page_size.max`` (100, what the subgraphs accept), or its
own entry in ``limits.page_size.fields`` (``"Query.orders.first": 50``). The value checked is
the one the operation will run with: a literal, a variable (as sent, or the variable's default
value), through nested input paths (``input.page.first``); a list counts its length. An omitted
argument takes the schema's default, which is the server's choice and is not checked.

Codes: ``PAGE_SIZE_EXCEEDED`` (above the maximum) and ``PAGE_SIZE_NEGATIVE`` (below 0), HTTP 400,
one error per offending argument, each with the field's ``locations`` and, in ``extensions``,
the ``field`` (``Query.orders``), ``argument``, ``value`` and ``max``.

Where the slicing arguments are in an operation is found once per (document, operation) and
cached; per request only those few values are read. Fields under ``@skip``/``@include`` with a
variable condition are checked (as the cost estimate counts them): an upper bound.

Usage::

    model = build_cost_model(engine.supergraph)  # the cost model is shared with the analyzer
    limits = PageSizeLimits(model, settings.limits.page_size)
    violations = limits.check(document_key, operation_name, operation, fragments, variables)
    if violations:
        return page_size_refusal(violations)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
)

from gateway.engine.types import GraphQLResult
from gateway.limits._arguments import json_at_path, size_of_json
from gateway.limits._selection import skipped
from gateway.limits.cost_model import CostModel, FieldCost
from gateway.limits.settings import PageSizeSettings
from gateway.stores.lru import LruCache

__all__ = [
    "PAGE_SIZE_EXCEEDED",
    "PAGE_SIZE_NEGATIVE",
    "PageSizeLimits",
    "PageSizeViolation",
    "page_size_refusal",
]

PAGE_SIZE_EXCEEDED = "PAGE_SIZE_EXCEEDED"
PAGE_SIZE_NEGATIVE = "PAGE_SIZE_NEGATIVE"
#: HTTP status of an operation refused for its page sizes
STATUS = 400

_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class _Site:
    """One slicing argument of one field selection of an operation."""

    #: ``Type.field``
    coordinate: str
    #: the argument path as written in settings and messages: ``first``, ``input.page.first``
    argument: str
    path: tuple[str, ...]
    #: the value written in the document (``None``: the argument is omitted)
    value: ValueNode | None
    maximum: int
    location: dict[str, int] | None


@dataclass(frozen=True, slots=True)
class PageSizeViolation:
    """A slicing argument outside ``0..maximum``."""

    coordinate: str
    argument: str
    value: int
    maximum: int
    location: dict[str, int] | None

    @property
    def code(self) -> str:
        """``PAGE_SIZE_NEGATIVE`` below 0, else ``PAGE_SIZE_EXCEEDED``."""
        return PAGE_SIZE_NEGATIVE if self.value < 0 else PAGE_SIZE_EXCEEDED

    @property
    def message(self) -> str:
        """What the client reads."""
        if self.value < 0:
            return (
                f'Argument "{self.argument}" of {self.coordinate} is {self.value}; '
                "a page size cannot be negative"
            )
        return (
            f'Argument "{self.argument}" of {self.coordinate} is {self.value}, '
            f"above the maximum page size {self.maximum}"
        )

    def to_graphql_error(self) -> dict[str, Any]:
        """The error in the GraphQL response shape."""
        error: dict[str, Any] = {"message": self.message}
        if self.location is not None:
            error["locations"] = [self.location]
        error["extensions"] = {
            "code": self.code,
            "field": self.coordinate,
            "argument": self.argument,
            "value": self.value,
            "max": self.maximum,
        }
        return error


def page_size_refusal(violations: list[PageSizeViolation]) -> GraphQLResult:
    """The response to an operation refused for its page sizes (nothing ran)."""
    return GraphQLResult(
        errors=[violation.to_graphql_error() for violation in violations], status_code=STATUS
    )


def _value_of(value: ValueNode | None, path: tuple[str, ...], variables: Mapping[str, Any]) -> Any:
    """The argument's value at ``path`` as the operation runs it, or ``_UNSET``."""
    for index, segment in enumerate(path):
        if isinstance(value, VariableNode):
            name = value.name.value
            if name not in variables:
                return _UNSET
            return json_at_path(variables[name], path[index:])
        if not isinstance(value, ObjectValueNode):
            return _UNSET
        value = next((f.value for f in value.fields if f.name.value == segment), None)
    if isinstance(value, VariableNode):
        return variables.get(value.name.value, _UNSET)
    if isinstance(value, IntValueNode):
        return int(value.value)
    if isinstance(value, ListValueNode):
        return list(value.values)
    return _UNSET


class PageSizeLimits:
    """Checks the slicing arguments of operations against their maximums (one per schema)."""

    def __init__(self, model: CostModel, settings: PageSizeSettings | None = None) -> None:
        self._model = model
        self._settings = settings or PageSizeSettings()
        self._sites: LruCache[tuple[str, str | None], tuple[_Site, ...]] = LruCache(
            self._settings.cache_size
        )

    @property
    def enabled(self) -> bool:
        """Whether page sizes are checked at all."""
        return self._settings.enabled

    def unknown_overrides(self) -> list[str]:
        """Entries of ``fields`` that name no slicing argument of the schema (typos)."""
        known = {
            f"{field.parent_type}.{field.name}.{'.'.join(path)}"
            for fields in self._model.output_fields.values()
            for field in fields.values()
            for rule in field.list_sizes
            for path in rule.slicing_arguments or ()
        }
        return sorted(key for key in self._settings.fields if key not in known)

    def check(
        self,
        document_key: str,
        operation_name: str | None,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any] | None,
    ) -> list[PageSizeViolation]:
        """The slicing arguments of ``operation`` outside their range (empty: all is well).

        ``variables`` are the coerced values (defaults of variables included).
        """
        if not self._settings.enabled:
            return []
        key = (document_key, operation_name)
        sites = self._sites.get(key)
        if sites is None:
            sites = self._find_sites(operation, fragments)
            self._sites.put(key, sites)
        if not sites:
            return []
        values = variables or {}
        violations: list[PageSizeViolation] = []
        for site in sites:
            size = size_of_json(_value_of(site.value, site.path, values))
            if size is not None and (size < 0 or size > site.maximum):
                violations.append(
                    PageSizeViolation(
                        site.coordinate, site.argument, size, site.maximum, site.location
                    )
                )
        return violations

    def _find_sites(
        self,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> tuple[_Site, ...]:
        root = self._model.root_types.get(operation.operation.value)
        if root is None:
            return ()
        sites: list[_Site] = []
        seen_fragments: set[str] = set()

        def walk(selection_set: SelectionSetNode, parent_type: str) -> None:
            for selection in selection_set.selections:
                if skipped(selection):  # type: ignore[arg-type]
                    continue
                if isinstance(selection, FieldNode):
                    definition = self._model.field(parent_type, selection.name.value)
                    if definition is None:
                        continue  # __typename, introspection
                    sites.extend(self._field_sites(selection, definition))
                    if selection.selection_set is not None:
                        walk(selection.selection_set, definition.type_name)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    inner = condition.name.value if condition else parent_type
                    walk(selection.selection_set, inner)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = fragments.get(name)
                    if fragment is not None and name not in seen_fragments:
                        seen_fragments.add(name)
                        walk(fragment.selection_set, fragment.type_condition.name.value)

        walk(operation.selection_set, root)
        return tuple(sites)

    def _field_sites(self, node: FieldNode, definition: FieldCost) -> list[_Site]:
        coordinate = f"{definition.parent_type}.{definition.name}"
        written = {argument.name.value: argument.value for argument in node.arguments or ()}
        location = None
        if node.loc is not None:
            source_location = node.loc.source.get_location(node.loc.start)
            location = {"line": source_location.line, "column": source_location.column}
        sites: list[_Site] = []
        seen: set[tuple[str, ...]] = set()
        for rule in definition.list_sizes:
            for path in rule.slicing_arguments or ():
                if path in seen:
                    continue
                seen.add(path)
                argument = ".".join(path)
                sites.append(
                    _Site(
                        coordinate,
                        argument,
                        path[1:],
                        written.get(path[0]),
                        self._settings.maximum(f"{coordinate}.{argument}"),
                        location,
                    )
                )
        return sites
