"""Field sets: the selection strings of ``@key``, ``@requires`` and ``@provides``.

A field set is parsed with graphql-core (as the selection set of an anonymous query) and then
checked against one type of a schema model: fields exist, leaves have no sub-selection,
composites have one, arguments exist and mandatory ones are given, fragments apply.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field

from graphql import GraphQLSyntaxError, parse
from graphql.language import (
    FieldNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    print_ast,
)

from gateway.composition.model import Field, Schema, TypeKind
from gateway.composition.typeref import base_name

__all__ = ["FieldSetError", "Selection", "collect_fields", "parse_field_set", "print_selections"]


class FieldSetError(Exception):
    """A field set that cannot be applied to its type (the message says why).

    ``code`` is set when the problem has a more precise code than ``<DIRECTIVE>_INVALID_FIELDS``.
    """

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(eq=False, slots=True)
class Selection:
    """A field (``name`` set) or an inline fragment (``name`` ``None``) of a field set."""

    parent: str
    name: str | None = None
    definition: Field | None = None
    alias: str | None = None
    arguments: dict[str, ValueNode] = field(default_factory=dict)
    directives: list[str] = field(default_factory=list)
    type_condition: str | None = None
    children: list[Selection] | None = None

    @property
    def is_typename(self) -> bool:
        """A ``__typename`` selection."""
        return self.name == "__typename"


FieldVisitor = Callable[[str, Field], None]


class _Parser:
    def __init__(self, schema: Schema, on_field: FieldVisitor | None, validate: bool) -> None:
        self.schema = schema
        self.on_field = on_field
        self.validate = validate

    def selection_set(self, node: SelectionSetNode, parent: str) -> list[Selection]:
        selections: list[Selection] = []
        for item in node.selections:
            if isinstance(item, FieldNode):
                selections.append(self.field(item, parent))
            elif isinstance(item, InlineFragmentNode):
                selections.append(self.fragment(item, parent))
            else:
                raise FieldSetError("Fragment spreads are not allowed in a field set")
        return selections

    def fragment(self, node: InlineFragmentNode, parent: str) -> Selection:
        condition = node.type_condition.name.value if node.type_condition else None
        target = parent
        if condition is not None:
            condition_type = self.schema.type(condition)
            if condition_type is None:
                raise FieldSetError(f'Unknown type "{condition}"')
            if not condition_type.is_composite:
                raise FieldSetError(f'Cannot use non-composite type "{condition}" as a condition')
            parent_possible = {t.name for t in self.schema.possible_types(parent)}
            condition_possible = {t.name for t in self.schema.possible_types(condition)}
            if self.validate and not parent_possible & condition_possible:
                raise FieldSetError(
                    f'Fragment cannot be spread here as objects of type "{parent}" can never be'
                    f' of type "{condition}".'
                )
            target = condition
        return Selection(
            parent=parent,
            type_condition=condition,
            directives=[d.name.value for d in node.directives or ()],
            children=self.selection_set(node.selection_set, target),
        )

    def field(self, node: FieldNode, parent: str) -> Selection:
        name = node.name.value
        selection = Selection(
            parent=parent,
            name=name,
            alias=node.alias.value if node.alias else None,
            arguments={a.name.value: a.value for a in node.arguments or ()},
            directives=[d.name.value for d in node.directives or ()],
        )
        if name == "__typename":
            if node.selection_set is not None:
                raise FieldSetError('Field "__typename" must not have a selection')
            return selection
        owner = self.schema.type(parent)
        definition = owner.fields.get(name) if owner and owner.kind is not TypeKind.UNION else None
        if definition is None:
            raise FieldSetError(f'Cannot query field "{name}" on type "{parent}".')
        selection.definition = definition
        if self.on_field is not None:
            self.on_field(parent, definition)
        if self.validate:
            self.check_arguments(selection, definition)
        target = self.schema.type(base_name(definition.type))
        is_composite = target is not None and target.is_composite
        if node.selection_set is None:
            if is_composite and self.validate:
                raise FieldSetError(
                    f'Field "{name}" of type "{definition.type}" must have a selection of'
                    f' subfields. Did you mean "{name} {{ ... }}"?'
                )
            return selection
        if not is_composite:
            raise FieldSetError(
                f'Field "{name}" must not have a selection since type "{definition.type}" has no'
                " subfields."
            )
        assert target is not None
        selection.children = self.selection_set(node.selection_set, target.name)
        return selection

    def check_arguments(self, selection: Selection, definition: Field) -> None:
        for argument in selection.arguments:
            if argument not in definition.args:
                raise FieldSetError(
                    f'Unknown argument "{argument}" found in value: "{definition.coordinate}" has'
                    f' no argument "{argument}".'
                )
        for arg in definition.args.values():
            if arg.is_required and arg.name not in selection.arguments:
                raise FieldSetError(
                    f'Missing mandatory value for argument "{arg.name}" of field'
                    f' "{definition.coordinate}" in selection "{selection.name}".'
                )


def _document_selection_set(text: str) -> SelectionSetNode:
    source = text if text.strip().startswith("{") else "{" + text + "}"
    try:
        document = parse(source, no_location=True)
    except GraphQLSyntaxError as exc:
        raise FieldSetError(exc.message) from None
    if len(document.definitions) != 1 or not isinstance(
        document.definitions[0], OperationDefinitionNode
    ):
        raise FieldSetError("A field set must be a single selection set")
    operation = document.definitions[0]
    if operation.name is not None or operation.variable_definitions:
        raise FieldSetError("A field set must be a single selection set")
    return operation.selection_set


def parse_field_set(
    schema: Schema,
    parent: str,
    text: str,
    *,
    on_field: FieldVisitor | None = None,
    validate: bool = True,
) -> list[Selection]:
    """Parse ``text`` against type ``parent``; raises :class:`FieldSetError` when invalid."""
    selections = _Parser(schema, on_field, validate).selection_set(
        _document_selection_set(text), parent
    )
    if not selections:
        raise FieldSetError("A field set cannot be empty")
    return selections


def collect_fields(
    schema: Schema, parent: str, text: str, *, include_implementations: bool
) -> list[Field]:
    """Every field a field set selects (best effort: stops silently at the first problem).

    With ``include_implementations``, selecting an interface field also collects the same field
    of every implementation of that interface.
    """
    found: list[Field] = []

    def visit(owner: str, definition: Field) -> None:
        found.append(definition)
        owner_type = schema.type(owner)
        if include_implementations and owner_type and owner_type.kind is TypeKind.INTERFACE:
            for implementation in schema.implementations(owner):
                implemented = implementation.fields.get(definition.name)
                if implemented is not None:
                    found.append(implemented)

    with suppress(FieldSetError):
        parse_field_set(schema, parent, text, on_field=visit, validate=False)
    return found


def print_selections(selections: list[Selection]) -> str:
    """Print selections the way Apollo prints field sets (``a b { c } ... on T { d }``)."""
    parts: list[str] = []
    for selection in selections:
        if selection.name is None:
            condition = f" on {selection.type_condition}" if selection.type_condition else ""
            parts.append(f"...{condition} {{ {print_selections(selection.children or [])} }}")
            continue
        text = f"{selection.alias}: {selection.name}" if selection.alias else selection.name
        if selection.arguments:
            rendered = ", ".join(f"{k}: {print_ast(v)}" for k, v in selection.arguments.items())
            text += f"({rendered})"
        if selection.children is not None:
            text += f" {{ {print_selections(selection.children)} }}"
        parts.append(text)
    return " ".join(parts)
