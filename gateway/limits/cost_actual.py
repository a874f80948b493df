"""Actual cost of an executed operation, from the response it produced.

The same weights as the estimate, applied to what came back: every object returned costs its
weight (1 by default), a list costs the sum of its items (so real list sizes replace the
assumed ones), scalars cost their ``@cost``, each field's arguments are counted once per
returned parent. Fields are matched by response key (aliases count), fragments apply to the
objects whose ``__typename`` they match (all of them when the type is unknown), and a mutation
keeps its surcharge. ``@requires`` selections are not in the response and do not count.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from gateway.limits._arguments import Variables, score_argument
from gateway.limits._selection import skipped
from gateway.limits.cost_model import CostModel, FieldCost

__all__ = ["actual_cost"]

#: response key -> (type the field was selected on, its field nodes)
_Collected = dict[str, tuple[str, list[FieldNode]]]


class _ResponseWalker:
    def __init__(
        self,
        model: CostModel,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Variables,
    ) -> None:
        self._model = model
        self._fragments = fragments
        self._variables = variables

    def _applies(self, condition: str, typename: str | None) -> bool:
        if typename is None or condition == typename:
            return True
        return typename in self._model.possible_types.get(condition, ())

    def _collect(
        self,
        selection_set: SelectionSetNode,
        selected_on: str,
        typename: str | None,
        into: _Collected,
    ) -> None:
        for selection in selection_set.selections:
            if skipped(selection):  # type: ignore[arg-type]
                continue
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                into.setdefault(key, (selected_on, []))[1].append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = (
                    selection.type_condition.name.value if selection.type_condition else selected_on
                )
                if self._applies(condition, typename):
                    self._collect(selection.selection_set, condition, typename, into)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self._fragments.get(selection.name.value)
                if fragment is not None:
                    condition = fragment.type_condition.name.value
                    if self._applies(condition, typename):
                        self._collect(fragment.selection_set, condition, typename, into)

    def object(
        self, selection_sets: list[SelectionSetNode], declared_type: str, value: Mapping[str, Any]
    ) -> float:
        typename = value.get("__typename")
        if not isinstance(typename, str):
            declared = self._model.output_fields.get(declared_type)
            is_object = declared is not None and declared_type not in self._model.possible_types
            typename = declared_type if is_object else None
        collected: _Collected = {}
        for selection_set in selection_sets:
            self._collect(selection_set, declared_type, typename, collected)
        cost = 0.0
        for key, (selected_on, nodes) in collected.items():
            if key not in value or nodes[0].name.value == "__typename":
                continue
            definition = self._model.field(typename or selected_on, nodes[0].name.value)
            if definition is None:
                definition = self._model.field(selected_on, nodes[0].name.value)
            if definition is None:
                continue  # introspection or an unknown field: nothing to charge
            cost += self.value(definition, nodes, value[key], include_arguments=True)
        return cost

    def value(
        self, definition: FieldCost, nodes: list[FieldNode], value: Any, *, include_arguments: bool
    ) -> float:
        cost = 0.0
        if isinstance(value, list):
            for item in value:
                cost += self.value(definition, nodes, item, include_arguments=False)
        elif isinstance(value, dict):
            weight = definition.weight
            cost += weight if weight is not None else 1.0
            selection_sets = [n.selection_set for n in nodes if n.selection_set is not None]
            cost += self.object(selection_sets, definition.type_name, value)
        else:
            cost += definition.weight or 0.0
        if include_arguments:
            for argument in nodes[0].arguments or ():
                argument_definition = definition.arguments.get(argument.name.value)
                if argument_definition is not None:
                    cost += score_argument(
                        argument.value, argument_definition, self._model, self._variables
                    )
        return cost


def actual_cost(
    model: CostModel,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Variables,
    data: Mapping[str, Any] | None,
    surcharge: float = 0.0,
) -> float:
    """The cost of ``data`` as returned for ``operation``, plus the mutation ``surcharge``."""
    root_type = model.root_types.get(operation.operation.value)
    if root_type is None or not isinstance(data, Mapping):
        return max(surcharge, 0.0)
    walker = _ResponseWalker(model, fragments, variables)
    return max(surcharge + walker.object([operation.selection_set], root_type, data), 0.0)
