"""The normalized operation the planner works on.

Named fragments are inlined, ``@skip``/``@include`` are decided (literal conditions always, variable
conditions from the :class:`Conditions` the plan is specialised for), and what remains is a tree of
plain :class:`Field` and :class:`InlineFragment` nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    parse,
    print_ast,
)

__all__ = [
    "Field",
    "InlineFragment",
    "Selection",
    "condition_variables",
    "normalize_selections",
    "parse_field_set",
]


@dataclass(frozen=True, slots=True)
class Field:
    """A field selection; ``arguments`` keeps the client's AST so variables stay variables."""

    name: str
    alias: str | None = None
    arguments: tuple[ArgumentNode, ...] = ()
    selections: tuple[Selection, ...] | None = None

    @property
    def response_key(self) -> str:
        """The key of this field in the response."""
        return self.alias or self.name

    @property
    def arguments_text(self) -> str:
        """The arguments as GraphQL text, ``""`` when there are none."""
        if not self.arguments:
            return ""
        return "(" + ", ".join(print_ast(argument) for argument in self.arguments) + ")"


@dataclass(frozen=True, slots=True)
class InlineFragment:
    """An inline fragment (named fragments are inlined into these)."""

    type_condition: str | None
    selections: tuple[Selection, ...]


Selection = Field | InlineFragment


def _included(directives: Iterable[DirectiveNode], variables: Mapping[str, bool]) -> bool:
    for directive in directives:
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        value: bool = name == "include"
        for argument in directive.arguments or ():
            if argument.name.value != "if":
                continue
            node = argument.value
            if isinstance(node, BooleanValueNode):
                value = node.value
            elif isinstance(node, VariableNode):
                value = bool(variables.get(node.name.value, False))
        if (name == "skip" and value) or (name == "include" and not value):
            return False
    return True


def normalize_selections(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, bool],
) -> tuple[Selection, ...]:
    """Inline fragments and decide ``@skip``/``@include`` for ``selection_set``."""
    if selection_set is None:
        return ()
    result: list[Selection] = []
    for node in selection_set.selections:
        if not _included(node.directives or (), variables):
            continue
        if isinstance(node, FieldNode):
            sub = (
                normalize_selections(node.selection_set, fragments, variables)
                if node.selection_set is not None
                else None
            )
            result.append(
                Field(
                    name=node.name.value,
                    alias=node.alias.value if node.alias else None,
                    arguments=tuple(node.arguments or ()),
                    selections=sub,
                )
            )
        elif isinstance(node, InlineFragmentNode):
            result.append(
                InlineFragment(
                    type_condition=node.type_condition.name.value if node.type_condition else None,
                    selections=normalize_selections(node.selection_set, fragments, variables),
                )
            )
        elif isinstance(node, FragmentSpreadNode):
            fragment = fragments[node.name.value]
            result.append(
                InlineFragment(
                    type_condition=fragment.type_condition.name.value,
                    selections=normalize_selections(fragment.selection_set, fragments, variables),
                )
            )
    return tuple(result)


def condition_variables(
    operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> tuple[str, ...]:
    """Names of the variables used by ``@skip``/``@include`` in ``operation``, sorted."""
    found: set[str] = set()
    seen_fragments: set[str] = set()

    def visit(selection_set: SelectionSetNode | None) -> None:
        if selection_set is None:
            return
        for node in selection_set.selections:
            for directive in node.directives or ():
                if directive.name.value in ("skip", "include"):
                    for argument in directive.arguments or ():
                        if isinstance(argument.value, VariableNode):
                            found.add(argument.value.name.value)
            if isinstance(node, FragmentSpreadNode):
                if node.name.value not in seen_fragments and node.name.value in fragments:
                    seen_fragments.add(node.name.value)
                    visit(fragments[node.name.value].selection_set)
            else:
                visit(getattr(node, "selection_set", None))

    visit(operation.selection_set)
    return tuple(sorted(found))


def parse_field_set(field_set: str) -> tuple[Selection, ...]:
    """Parse a ``@key``/``@requires``/``@provides`` field set into selections."""
    document = parse("{" + field_set + "}", no_location=True)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return normalize_selections(operation.selection_set, {}, {})
