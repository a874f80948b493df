"""Variable access and argument scoring, shared by the estimate and the actual cost.

An input object costs 1 (or its ``@cost``) plus its fields; a list costs its ``@cost`` (or 0)
plus its items; a scalar or enum costs its ``@cost`` (or 0); null costs nothing. Variables are
scored by their JSON value. :class:`Variables` remembers which variables were read, and which
of them sized a list, so that a cost can be cached per "variables shape".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    ConstValueNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    value_from_ast_untyped,
)

from gateway.limits.cost_model import CostModel, InputCost, TypeKind
from gateway.limits.errors import CostAnalysisError

__all__ = ["Variables", "json_at_path", "score_argument", "score_json", "size_of_json"]

_ABSENT: Any = object()


def size_of_json(value: Any) -> int | None:
    """The size a JSON value states for a slicing argument: a list's length or an integer."""
    if isinstance(value, list):
        return len(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def json_at_path(value: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` inside nested JSON objects (``None`` where the path ends early)."""
    for segment in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(segment)
    return value


class Variables:
    """The request's variables, with the operation's defaults behind them, recording reads."""

    __slots__ = ("_defaults", "_provided", "read", "sizing")

    def __init__(
        self,
        provided: Mapping[str, Any] | None,
        definitions: tuple[VariableDefinitionNode, ...] = (),
    ) -> None:
        self._provided: Mapping[str, Any] = provided or {}
        self._defaults: dict[str, ConstValueNode] = {
            d.variable.name.value: d.default_value for d in definitions if d.default_value
        }
        #: names of the variables the analysis read
        self.read: set[str] = set()
        #: names of the variables whose numeric value (or list length) sized a list
        self.sizing: set[str] = set()

    def get(self, name: str, *, sizing: bool = False) -> Any:
        """The value of ``$name``: as sent, else its default, else :data:`ABSENT`."""
        self.read.add(name)
        if sizing:
            self.sizing.add(name)
        if name in self._provided:
            return self._provided[name]
        default = self._defaults.get(name)
        if default is not None:
            return value_from_ast_untyped(default)
        return _ABSENT

    @staticmethod
    def is_absent(value: Any) -> bool:
        """Whether :meth:`get` found neither a value nor a default."""
        return value is _ABSENT


def _composite_argument(definition: InputCost) -> CostAnalysisError:
    return CostAnalysisError(
        f"Argument {definition.name} has type {definition.type_name}, but objects, interfaces "
        "and unions are not allowed in this position"
    )


def score_argument(
    value: ValueNode, definition: InputCost, model: CostModel, variables: Variables
) -> float:
    """The cost of one argument (or input field) value written in the document."""
    if definition.kind.is_composite:
        raise _composite_argument(definition)
    if isinstance(value, ObjectValueNode) and definition.kind is TypeKind.INPUT_OBJECT:
        cost = definition.weight if definition.weight is not None else 1.0
        fields = model.input_fields.get(definition.type_name, {})
        for field in value.fields:
            field_definition = fields.get(field.name.value)
            if field_definition is None:
                raise CostAnalysisError(
                    f"Input field {field.name.value} is not defined on {definition.type_name}"
                )
            cost += score_argument(field.value, field_definition, model, variables)
        return cost
    if isinstance(value, ListValueNode):
        cost = definition.weight or 0.0
        for item in value.values:
            cost += score_argument(item, definition, model, variables)
        return cost
    if isinstance(value, VariableNode):
        resolved = variables.get(value.name.value)
        if Variables.is_absent(resolved):
            return 0.0
        return score_json(resolved, definition, model)
    if isinstance(value, NullValueNode):
        return 0.0
    return definition.weight or 0.0


def score_json(value: Any, definition: InputCost, model: CostModel) -> float:
    """The cost of one argument value given as JSON (a variable)."""
    if definition.kind.is_composite:
        raise _composite_argument(definition)
    if isinstance(value, dict) and definition.kind is TypeKind.INPUT_OBJECT:
        cost = definition.weight if definition.weight is not None else 1.0
        fields = model.input_fields.get(definition.type_name, {})
        for name, item in value.items():
            field_definition = fields.get(name)
            if field_definition is not None:  # unknown keys fail variable coercion later
                cost += score_json(item, field_definition, model)
        return cost
    if isinstance(value, list):
        cost = definition.weight or 0.0
        for item in value:
            cost += score_json(item, definition, model)
        return cost
    if value is None:
        return 0.0
    return definition.weight or 0.0
