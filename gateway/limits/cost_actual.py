"""Actual cost of an executed operation, from the response it produced.

The same weights as the estimate, applied to what came back: every object returned costs its
weight (1 by default), a list costs the sum of its items (so real list sizes replace the
assumed ones), scalars cost their ``@cost``, each field's arguments are counted once per
returned parent. Fields are matched by response key (aliases count), fragments apply to the
objects whose ``__typename`` they match (all of them when the type is unknown), and a mutation
keeps its surcharge. ``@requires`` selections are not in the response and do not count. Leaves
of scalar or enum type cost only their ``@cost`` (a JSON scalar holding an object is a leaf).
Each (selection, type) is planned once per walk, so a long list costs one pass over its items.
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
    OperationDefinitionNode,
    SelectionSetNode,
)

from gateway.limits._arguments import Variables, score_argument
from gateway.limits._selection import skipped
from gateway.limits.cost_model import CostModel, FieldCost

__all__ = ["actual_cost"]

#: response key -> (type the field was selected on, its field nodes)
_Collected = dict[str, tuple[str, list[FieldNode]]]


@dataclass(frozen=True, slots=True)
class _Entry:
    """One response key of an object, planned once per walk."""

    key: str
    definition: FieldCost
    selection_sets: tuple[SelectionSetNode, ...]
    arguments_cost: float
    #: the returned objects' type when it is not abstract (else read ``__typename``)
    static_typename: str | None


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
        self._plans: dict[tuple[int, str | None], list[_Entry]] = {}

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

    def _plan(
        self,
        selection_sets: tuple[SelectionSetNode, ...],
        declared_type: str,
        typename: str | None,
    ) -> list[_Entry]:
        plan_key = (id(selection_sets), typename)
        plan = self._plans.get(plan_key)
        if plan is not None:
            return plan
        collected: _Collected = {}
        for selection_set in selection_sets:
            self._collect(selection_set, declared_type, typename, collected)
        plan = []
        for key, (selected_on, nodes) in collected.items():
            name = nodes[0].name.value
            if name == "__typename":
                continue
            definition = self._model.field(typename or selected_on, name) or self._model.field(
                selected_on, name
            )
            if definition is None:
                continue  # introspection or an unknown field: nothing to charge
            arguments_cost = 0.0
            for argument in nodes[0].arguments or ():
                argument_definition = definition.arguments.get(argument.name.value)
                if argument_definition is not None:
                    arguments_cost += score_argument(
                        argument.value, argument_definition, self._model, self._variables
                    )
            if not definition.kind.is_composite and not definition.weight and not arguments_cost:
                continue  # a free leaf costs nothing, whatever came back
            children = tuple(n.selection_set for n in nodes if n.selection_set is not None)
            static = definition.type_name
            is_object = (
                static in self._model.output_fields and static not in self._model.possible_types
            )
            plan.append(
                _Entry(key, definition, children, arguments_cost, static if is_object else None)
            )
        self._plans[plan_key] = plan
        return plan

    def object(
        self,
        selection_sets: tuple[SelectionSetNode, ...],
        declared_type: str,
        static_typename: str | None,
        value: Mapping[str, Any],
    ) -> float:
        typename = static_typename
        if typename is None:
            sent = value.get("__typename")
            typename = sent if isinstance(sent, str) else None
        cost = 0.0
        for entry in self._plan(selection_sets, declared_type, typename):
            if entry.key in value:
                cost += self.value(entry, value[entry.key]) + entry.arguments_cost
        return cost

    def value(self, entry: _Entry, value: Any) -> float:
        if isinstance(value, list):
            cost = 0.0
            for item in value:
                cost += self.value(entry, item)
            return cost
        weight = entry.definition.weight
        if isinstance(value, dict):
            own = weight if weight is not None else 1.0
            definition = entry.definition
            return own + self.object(
                entry.selection_sets, definition.type_name, entry.static_typename, value
            )
        return weight or 0.0


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
    root = walker.object((operation.selection_set,), root_type, root_type, data)
    return max(surcharge + root, 0.0)
