"""Static cost of an operation, before execution (IBM cost spec, Apollo Router's numbers).

A field costs ``count * (type cost + cost of its selections) + arguments + requirements``:

- ``count`` is 1 for a non-list field; for a list, the size a parent's ``sizedFields`` gives
  it, else the largest size its own (or inherited) ``@listSize`` gives (slicing arguments as
  sent, or at their default when omitted; the largest of several wins; ``assumedSize`` when
  none is given), else the configured default list size. Nested lists therefore multiply.
- ``type cost`` is the field's ``@cost``, else its type's, else 1 for objects, interfaces and
  unions and 0 for scalars and enums.
- ``requirements`` is the cost of the ``@join__field(requires:)`` selection.

A mutation adds ``mutation_weight`` (10): per root field by default, so that aliasing 50
mutations into one operation costs what 50 operations cost; once per operation as in Apollo
Router when ``per_root_field`` is off.
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

from gateway.limits._arguments import Variables, json_at_path, score_argument, size_of_json
from gateway.limits._selection import skipped
from gateway.limits.cost_model import CostModel, FieldCost, ListSizeRule, SizedFields
from gateway.limits.errors import CostAnalysisError

__all__ = ["EstimateOptions", "estimate_operation", "mutation_root_fields", "mutation_surcharge"]

_FREE_FIELDS = frozenset({"__typename", "__schema", "__type"})


@dataclass(frozen=True, slots=True)
class EstimateOptions:
    """Knobs of the estimate (see :class:`~gateway.limits.settings.CostSettings`)."""

    default_list_size: int = 10
    mutation_weight: float = 10.0
    mutation_weight_per_root_field: bool = True
    estimate_requires: bool = True


@dataclass(frozen=True, slots=True)
class _Sizing:
    """A ``@listSize`` evaluated for one field selection: its size and where it applies."""

    expected_size: int | None
    sized_fields: SizedFields | None

    def size_of(self, field_name: str) -> int | None:
        if self.sized_fields is not None and field_name in self.sized_fields.leaves:
            return self.expected_size
        return None

    def descend(self, field_name: str) -> _Sizing | None:
        if self.sized_fields is None:
            return None
        nested = self.sized_fields.nested.get(field_name)
        return _Sizing(self.expected_size, nested) if nested is not None else None


class _Estimator:
    def __init__(
        self,
        model: CostModel,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Variables,
        options: EstimateOptions,
    ) -> None:
        self._model = model
        self._fragments = fragments
        self._variables = variables
        self._options = options

    # -- list sizes -------------------------------------------------------------------------

    def _size_from_ast(self, value: ValueNode | None, path: tuple[str, ...]) -> int | None:
        for index, segment in enumerate(path):
            if isinstance(value, VariableNode):
                resolved = self._variables.get(value.name.value, sizing=True)
                if Variables.is_absent(resolved):
                    return None
                return size_of_json(json_at_path(resolved, path[index:]))
            if not isinstance(value, ObjectValueNode):
                return None
            value = next((f.value for f in value.fields if f.name.value == segment), None)
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, ListValueNode):
            return len(value.values)
        if isinstance(value, VariableNode):
            resolved = self._variables.get(value.name.value, sizing=True)
            return None if Variables.is_absent(resolved) else size_of_json(resolved)
        return None

    def _arguments_for_slicing(self, node: FieldNode, definition: FieldCost) -> dict[str, Any]:
        values: dict[str, ValueNode] = {
            name: argument.default
            for name, argument in definition.arguments.items()
            if argument.default is not None
        }
        for argument in node.arguments or ():
            value = argument.value
            # read as "sizing" even when absent: another request may send a number
            if isinstance(value, VariableNode) and Variables.is_absent(
                self._variables.get(value.name.value, sizing=True)
            ):
                continue  # an argument given an absent variable counts as omitted
            values[argument.name.value] = value
        return values

    def _expected_size(self, rule: ListSizeRule, node: FieldNode, definition: FieldCost) -> _Sizing:
        if rule.slicing_arguments is None:
            return _Sizing(rule.assumed_size, rule.sized_fields)
        arguments = self._arguments_for_slicing(node, definition)
        sizes = []
        for path in rule.slicing_arguments:
            size = self._size_from_ast(arguments.get(path[0]), path[1:])
            if size is not None:
                sizes.append(size)
        if rule.require_one_slicing_argument and len(sizes) != 1:
            raise CostAnalysisError(
                f"Exactly one slicing argument is required on {definition.parent_type}."
                f"{definition.name}, but found {len(sizes)}"
            )
        return _Sizing(max(sizes) if sizes else rule.assumed_size, rule.sized_fields)

    # -- selections -------------------------------------------------------------------------

    def selection_set(
        self,
        selection_set: SelectionSetNode,
        parent_type: str,
        own: list[_Sizing],
        inherited: list[_Sizing],
    ) -> float:
        cost = 0.0
        for selection in selection_set.selections:
            if skipped(selection):  # type: ignore[arg-type]
                continue
            if isinstance(selection, FieldNode):
                name = selection.name.value
                from_parent = [n for d in own if (n := d.size_of(name)) is not None]
                from_inherited = [n for d in inherited if (n := d.size_of(name)) is not None]
                upstream = max(from_parent or from_inherited, default=None)
                descended = [c for d in (*own, *inherited) if (c := d.descend(name)) is not None]
                cost += self.field(selection, parent_type, upstream, descended)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self._fragments.get(selection.name.value)
                if fragment is None:
                    raise CostAnalysisError(f"Unknown fragment '{selection.name.value}'")
                condition = fragment.type_condition.name.value
                cost += self.selection_set(fragment.selection_set, condition, own, inherited)
            elif isinstance(selection, InlineFragmentNode):
                condition = (
                    selection.type_condition.name.value if selection.type_condition else parent_type
                )
                cost += self.selection_set(selection.selection_set, condition, own, inherited)
        return cost

    def field(
        self, node: FieldNode, parent_type: str, upstream: int | None, inherited: list[_Sizing]
    ) -> float:
        name = node.name.value
        if name in _FREE_FIELDS:
            return 0.0
        definition = self._model.field(parent_type, name)
        if definition is None:
            raise CostAnalysisError(f"Field {parent_type}.{name} is not in the schema")
        own = [self._expected_size(rule, node, definition) for rule in definition.list_sizes]
        if not definition.is_list:
            count = 1
        elif upstream is not None:
            count = upstream
        else:
            sizes = [d.expected_size for d in (*own, *inherited) if d.expected_size is not None]
            count = max(sizes) if sizes else self._options.default_list_size
        count = max(count, 0)

        type_cost = definition.weight
        if type_cost is None:
            type_cost = 1.0 if definition.kind.is_composite else 0.0
        if node.selection_set is not None:
            type_cost += self.selection_set(
                node.selection_set, definition.type_name, own, inherited
            )

        arguments_cost = 0.0
        for argument in node.arguments or ():
            argument_definition = definition.arguments.get(argument.name.value)
            if argument_definition is None:
                raise CostAnalysisError(
                    f"Argument {argument.name.value} of {parent_type}.{name} is not defined"
                )
            arguments_cost += score_argument(
                argument.value, argument_definition, self._model, self._variables
            )

        requirements_cost = 0.0
        if definition.requires is not None and self._options.estimate_requires:
            requirements_cost = self.selection_set(definition.requires, parent_type, own, [])
        return count * type_cost + arguments_cost + requirements_cost


def mutation_root_fields(
    operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> int:
    """How many distinct root fields (response keys) a mutation selects."""
    keys: set[str] = set()

    def collect(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if skipped(selection):  # type: ignore[arg-type]
                continue
            if isinstance(selection, FieldNode):
                if selection.name.value != "__typename":
                    keys.add((selection.alias or selection.name).value)
            elif isinstance(selection, InlineFragmentNode):
                collect(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    collect(fragment.selection_set)

    collect(operation.selection_set)
    return len(keys)


def mutation_surcharge(
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    options: EstimateOptions,
) -> float:
    """What being a mutation adds to an operation's cost (0 for queries and subscriptions)."""
    if operation.operation.value != "mutation":
        return 0.0
    if not options.mutation_weight_per_root_field:
        return options.mutation_weight
    return options.mutation_weight * mutation_root_fields(operation, fragments)


def estimate_operation(
    model: CostModel,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Variables,
    options: EstimateOptions,
) -> float:
    """The estimated cost of ``operation`` (never negative)."""
    root_type = model.root_types.get(operation.operation.value)
    if root_type is None:
        raise CostAnalysisError(
            f"Cannot cost a {operation.operation.value}: the schema has no such root type"
        )
    estimator = _Estimator(model, fragments, variables, options)
    cost = mutation_surcharge(operation, fragments, options)
    cost += estimator.selection_set(operation.selection_set, root_type, [], [])
    return max(cost, 0.0)
