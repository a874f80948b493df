"""User-written definitions of spec elements (``directive @key ...``) must match the spec.

Subgraph servers often print the federation directive definitions into their SDL. Such a
definition may narrow the spec one (fewer locations, a required argument made explicit, an
optional argument left out) but not widen or contradict it. The spec definition is what
composition uses afterwards.
"""

from __future__ import annotations

from graphql import parse
from graphql.language import (
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    InputValueDefinitionNode,
    NonNullTypeNode,
    ScalarTypeDefinitionNode,
    TypeDefinitionNode,
    print_ast,
)

from gateway.composition.errors import CompositionError, ErrorCode, locations_of
from gateway.composition.links import Links
from gateway.composition.values import same_value

__all__ = ["check_spec_definitions"]

#: names a field-set argument may be declared with (Federation 1 servers vary)
_FIELD_SET_NAMES = {"FieldSet", "_FieldSet", "federation__FieldSet", "String"}


def _base(node: InputValueDefinitionNode) -> str:
    return print_ast(node.type.type if isinstance(node.type, NonNullTypeNode) else node.type)


def _compatible(expected: InputValueDefinitionNode, actual: InputValueDefinitionNode) -> bool:
    if expected.name.value == "fields":
        return _base(actual) in _FIELD_SET_NAMES or _base(actual) == _base(expected)
    actual_type = actual.type
    if isinstance(actual_type, NonNullTypeNode) and not isinstance(expected.type, NonNullTypeNode):
        actual_type = actual_type.type
    return print_ast(expected.type) == print_ast(actual_type)


def _check_directive(
    subgraph: str, actual: DirectiveDefinitionNode, expected: DirectiveDefinitionNode
) -> list[CompositionError]:
    name = f'"@{actual.name.value}"'
    problems: list[tuple[str, object]] = []
    expected_args = {a.name.value: a for a in expected.arguments or ()}
    actual_args = {a.name.value: a for a in actual.arguments or ()}
    for arg_name, expected_arg in expected_args.items():
        actual_arg = actual_args.get(arg_name)
        if actual_arg is None:
            required = isinstance(expected_arg.type, NonNullTypeNode)
            if required and expected_arg.default_value is None:
                problems.append((f'missing required argument "{arg_name}"', actual))
            continue
        if not _compatible(expected_arg, actual_arg):
            problems.append(
                (
                    f'argument "{arg_name}" should have type "{print_ast(expected_arg.type)}" but'
                    f' found type "{print_ast(actual_arg.type)}"',
                    actual_arg,
                )
            )
        elif not isinstance(actual_arg.type, NonNullTypeNode) and not same_value(
            expected_arg.default_value, actual_arg.default_value
        ):
            problems.append((f'argument "{arg_name}" has a different default value', actual_arg))
    problems.extend(
        (f'unknown/unsupported argument "{arg_name}"', node)
        for arg_name, node in actual_args.items()
        if arg_name not in expected_args
    )
    if actual.repeatable and not expected.repeatable:
        problems.append((f"{name} should not be repeatable", actual))
    expected_locations = {loc.value for loc in expected.locations}
    if not {loc.value for loc in actual.locations} <= expected_locations:
        problems.append(
            (
                f"{name} should have locations {', '.join(loc.value for loc in expected.locations)}"
                ", but found (non-subset) " + ", ".join(loc.value for loc in actual.locations),
                actual,
            )
        )
    return [
        CompositionError(
            ErrorCode.DIRECTIVE_DEFINITION_INVALID,
            f"Invalid definition for directive {name}: {message}",
            subgraph,
            locations_of(subgraph, [node]),
        )
        for message, node in problems
    ]


def check_spec_definitions(
    subgraph: str, document: DocumentNode, links: Links
) -> list[CompositionError]:
    """Errors for user definitions of linked directives/types that contradict the spec."""
    errors: list[CompositionError] = []
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode):
            template = links.directive_definitions.get(definition.name.value)
            if template is None:
                continue
            expected = parse(template, no_location=True).definitions[0]
            assert isinstance(expected, DirectiveDefinitionNode)
            errors.extend(_check_directive(subgraph, definition, expected))
        elif isinstance(definition, TypeDefinitionNode):
            template = links.type_definitions.get(definition.name.value)
            if template is None:
                continue
            expected_kind = "EnumType" if template.startswith("enum") else "ScalarType"
            actual_kind = (
                "EnumType"
                if isinstance(definition, EnumTypeDefinitionNode)
                else "ScalarType"
                if isinstance(definition, ScalarTypeDefinitionNode)
                else type(definition).__name__.replace("DefinitionNode", "")
            )
            if actual_kind != expected_kind:
                errors.append(
                    CompositionError(
                        ErrorCode.TYPE_DEFINITION_INVALID,
                        f"Invalid definition for type {definition.name.value}:"
                        f" {definition.name.value} should be a {expected_kind} but is defined as"
                        f" a {actual_kind}",
                        subgraph,
                        locations_of(subgraph, [definition]),
                    )
                )
    return errors
