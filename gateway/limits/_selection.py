"""Small helpers over executable documents: literal ``@skip``/``@include`` and operation choice."""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    BooleanValueNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
)

from gateway.limits.errors import CostAnalysisError

__all__ = ["fragments_of", "select_operation", "skipped"]


def skipped(node: FieldNode | FragmentSpreadNode | InlineFragmentNode) -> bool:
    """Whether a literal ``@skip(if: true)`` or ``@include(if: false)`` drops ``node``.

    Conditions on variables count as included (an upper bound), as in Apollo Router.
    """
    for directive in node.directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        for argument in directive.arguments or ():
            literal = argument.value
            if (
                argument.name.value == "if"
                and isinstance(literal, BooleanValueNode)
                and (name == "skip") == literal.value
            ):
                return True
    return False


def select_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    """The operation that runs: the named one, or the only one."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) == 1:
            return operations[0]
        raise CostAnalysisError("An operation name is required when the document has several")
    for operation in operations:
        if operation.name is not None and operation.name.value == operation_name:
            return operation
    raise CostAnalysisError(f"Unknown operation named '{operation_name}'")


def fragments_of(document: DocumentNode) -> Mapping[str, FragmentDefinitionNode]:
    """The document's fragments by name."""
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
