"""Operation limits: document size and tokens at parse time; depth, aliases, root fields and
expanded fields after.

Usage (the engine, per operation of a request, batched entries each on their own)::

    document = parse_with_limits(query, settings.hardening)      # raises HardeningError
    violations = operation_limit_violations(document, operation_name, settings.hardening)
    if violations:
        ...  # 400, errors=[v.graphql_error() for v in violations]; then validate

The counts follow fragment spreads (a fragment used twice counts twice) and run before
validation, so they are written to be safe on any parsed document: iterative (no recursion, so
no stack overflow on deep nesting), linear in the document size (each fragment is measured
once and its measure reused at every spread), and a spread that closes a fragment cycle
counts as empty instead of looping; validation then rejects the cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)

from gateway.hardening.errors import HardeningError, HardeningErrorCode
from gateway.hardening.settings import HardeningSettings

__all__ = [
    "OperationMeasures",
    "measure_operation",
    "operation_limit_violations",
    "parse_with_limits",
]

#: counts saturate here, so that fragment "bombs" stay small integers
_SATURATION = 1 << 40
_TOKEN_LIMIT_MARKERS = ("tokens. Parsing aborted.", "comments. Parsing aborted.")
_TOO_DEEP_MARKER = "nested too deeply"


def parse_with_limits(source: str, limits: HardeningSettings) -> DocumentNode:
    """Parse ``source`` under the size and token limits.

    Raises :class:`HardeningError` (``DOCUMENT_TOO_LARGE``, ``MAX_TOKENS_EXCEEDED``,
    ``MAX_DEPTH_EXCEEDED`` for nesting the parser cannot follow) and lets any other
    :class:`graphql.GraphQLSyntaxError` through for the engine to report.
    """
    max_bytes = limits.max_document_bytes
    if max_bytes is not None and len(source) > max_bytes // 4:
        size = len(source.encode("utf-8"))
        if size > max_bytes:
            raise HardeningError(
                HardeningErrorCode.DOCUMENT_TOO_LARGE,
                f"The document is {size} bytes long; the limit is {max_bytes}",
            )
    try:
        return parse(source, max_lexical_tokens=limits.max_tokens, max_comments=limits.max_tokens)
    except GraphQLSyntaxError as exc:
        if any(marker in exc.message for marker in _TOKEN_LIMIT_MARKERS):
            raise HardeningError(
                HardeningErrorCode.MAX_TOKENS_EXCEEDED,
                f"The document has more than {limits.max_tokens} tokens",
            ) from None
        if _TOO_DEEP_MARKER in exc.message:
            raise HardeningError(
                HardeningErrorCode.MAX_DEPTH_EXCEEDED, "The document is nested too deeply"
            ) from None
        raise


@dataclass(frozen=True, slots=True)
class OperationMeasures:
    """What the limits look at, for one selection set with its fragments expanded."""

    depth: int = 0
    aliases: int = 0
    root_fields: int = 0
    #: selected fields with fragments expanded (what planning and costing walk)
    fields: int = 0


_EMPTY = OperationMeasures()


def measure_operation(
    document: DocumentNode, operation: OperationDefinitionNode
) -> OperationMeasures:
    """Depth, alias count and root field count of ``operation``, fragments expanded."""
    return _measure(operation.selection_set, _fragment_measures(document))


def operation_limit_violations(
    document: DocumentNode, operation_name: str | None, limits: HardeningSettings
) -> list[HardeningError]:
    """The limits the operation ``operation_name`` breaks (all operations when no name)."""
    fragments = _fragment_measures(document)
    violations: dict[HardeningErrorCode, HardeningError] = {}
    for operation in _operations(document, operation_name):
        measures = _measure(operation.selection_set, fragments)
        for code, value, limit, what in (
            (HardeningErrorCode.MAX_DEPTH_EXCEEDED, measures.depth, limits.max_depth, "deep"),
            (
                HardeningErrorCode.MAX_ALIASES_EXCEEDED,
                measures.aliases,
                limits.max_aliases,
                "aliases",
            ),
            (
                HardeningErrorCode.MAX_ROOT_FIELDS_EXCEEDED,
                measures.root_fields,
                limits.max_root_fields,
                "root fields",
            ),
            (
                HardeningErrorCode.MAX_FIELDS_EXCEEDED,
                measures.fields,
                limits.max_fields,
                "fields (fragments expanded)",
            ),
        ):
            if limit is not None and value > limit and code not in violations:
                violations[code] = HardeningError(code, _message(what, value, limit))
    return list(violations.values())


def _message(what: str, value: int, limit: int) -> str:
    shown = f"more than {_SATURATION}" if value >= _SATURATION else str(value)
    if what == "deep":
        return f"The operation is {shown} fields deep; the limit is {limit}"
    return f"The operation has {shown} {what}; the limit is {limit}"


def _operations(
    document: DocumentNode, operation_name: str | None
) -> Iterator[OperationDefinitionNode]:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            operation_name is None
            or (definition.name is not None and definition.name.value == operation_name)
        ):
            yield definition


def _fragment_measures(document: DocumentNode) -> dict[str, OperationMeasures]:
    """Each fragment measured once, dependencies first; a cycle's back edge counts as empty."""
    definitions: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            definitions.setdefault(definition.name.value, definition)
    measures: dict[str, OperationMeasures] = {}
    started: set[str] = set()
    for root in definitions:
        if root in started:
            continue
        started.add(root)
        stack = [(root, _spreads(definitions[root].selection_set))]
        while stack:
            name, pending = stack[-1]
            for child in pending:
                if child in definitions and child not in started:
                    started.add(child)
                    stack.append((child, _spreads(definitions[child].selection_set)))
                    break
            else:
                stack.pop()
                measures[name] = _measure(definitions[name].selection_set, measures)
    return measures


def _spreads(selection_set: SelectionSetNode) -> Iterator[str]:
    """Names of the fragments spread anywhere inside ``selection_set`` (lazily, iteratively)."""
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection.name.value
            elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                stack.append(selection.selection_set)


def _measure(
    selection_set: SelectionSetNode, fragments: dict[str, OperationMeasures]
) -> OperationMeasures:
    """Measure one selection set; spreads of unmeasured fragments (cycles) count as empty."""
    depth = aliases = root_fields = fields = 0
    stack: list[tuple[SelectionSetNode, int, bool]] = [(selection_set, 0, True)]
    while stack:
        current, level, at_root = stack.pop()
        for selection in current.selections:
            if isinstance(selection, FieldNode):
                depth = max(depth, level + 1)
                aliases += selection.alias is not None
                root_fields += at_root
                fields += 1
                if selection.selection_set is not None:
                    stack.append((selection.selection_set, level + 1, False))
            elif isinstance(selection, InlineFragmentNode):
                stack.append((selection.selection_set, level, at_root))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value, _EMPTY)
                depth = max(depth, level + fragment.depth)
                aliases += fragment.aliases
                root_fields += fragment.root_fields if at_root else 0
                fields += fragment.fields
        aliases = min(aliases, _SATURATION)
        root_fields = min(root_fields, _SATURATION)
        fields = min(fields, _SATURATION)
    return OperationMeasures(depth, aliases, root_fields, fields)
