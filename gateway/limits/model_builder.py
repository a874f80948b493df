"""Builds a :class:`~gateway.limits.cost_model.CostModel` from a loaded schema model.

Nothing is parsed or built here but the selections written in ``sizedFields`` and
``@join__field(requires:)``: the types come from the schema the model holds (the supergraph
schema, with its join machinery), the ``@cost``/``@listSize``/``requires`` values from the
directives the model read (:class:`~gateway.supergraph.directives.SchemaDirectives`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import (
    FieldNode,
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    parse,
)

from gateway.limits.cost_model import (
    CostModel,
    FieldCost,
    InputCost,
    ListSizeRule,
    SizedFields,
    TypeKind,
)
from gateway.limits.errors import CostModelError
from gateway.supergraph.directives import ListSizeDirective, SchemaDirectives
from gateway.supergraph.model import SchemaModel

__all__ = ["build_cost_model"]


def build_cost_model(model: SchemaModel) -> CostModel:
    """The cost model of a loaded supergraph (or plain schema); raises :class:`CostModelError`
    for a ``@cost`` without a numeric weight or a malformed ``sizedFields``/``requires``."""
    return _Builder(model).build()


def _kind(named: GraphQLNamedType) -> TypeKind:
    if isinstance(named, GraphQLObjectType):
        return TypeKind.OBJECT
    if isinstance(named, GraphQLInterfaceType):
        return TypeKind.INTERFACE
    if isinstance(named, GraphQLUnionType):
        return TypeKind.UNION
    if isinstance(named, GraphQLEnumType):
        return TypeKind.ENUM
    if isinstance(named, GraphQLInputObjectType):
        return TypeKind.INPUT_OBJECT
    return TypeKind.SCALAR


def _number(value: Any) -> float | None:
    """An Int, Float or numeric String argument as written; ``None`` for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    if isinstance(value, str):  # a single value coerces to a one-item list
        return [value]
    return None


def _selection_set(text: str, what: str) -> SelectionSetNode:
    try:
        document = parse(f"{{ {text} }}", no_location=True)
    except GraphQLError as error:
        raise CostModelError(f"{what} '{text}' does not parse: {error.message}") from error
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


def _fields_of(selection_set: SelectionSetNode) -> list[FieldNode]:
    return [s for s in selection_set.selections if isinstance(s, FieldNode)]


def _leaf_names(selection_sets: Iterable[SelectionSetNode]) -> set[str]:
    names: set[str] = set()
    for selection_set in selection_sets:
        for node in _fields_of(selection_set):
            if node.selection_set is None:
                names.add(node.name.value)
            else:
                names |= _leaf_names([node.selection_set])
    return names


def _sized_fields(selection_sets: list[SelectionSetNode]) -> SizedFields:
    containers: dict[str, list[SelectionSetNode]] = {}
    for selection_set in selection_sets:
        for node in _fields_of(selection_set):
            if node.selection_set is not None:
                containers.setdefault(node.name.value, []).append(node.selection_set)
    leaves = frozenset(_leaf_names(selection_sets) - containers.keys())
    nested = {name: _sized_fields(sets) for name, sets in containers.items()}
    return SizedFields(leaves, nested)


def _check_one_leaf_per_path(selection_set: SelectionSetNode, text: str) -> None:
    nodes = _fields_of(selection_set)
    if sum(1 for node in nodes if node.selection_set is None) > 1:
        raise CostModelError(f"sizedFields entry '{text}' must name at most one list per path")
    for node in nodes:
        if node.selection_set is not None:
            _check_one_leaf_per_path(node.selection_set, text)


class _Builder:
    def __init__(self, model: SchemaModel) -> None:
        self._schema = model.schema
        self._directives: SchemaDirectives = model.directives

    def _weight(self, coordinate: str) -> float | None:
        found = self._directives.cost.get(coordinate)
        if found is None:
            return None
        weight = _number(found.weight)
        if weight is None:
            raise CostModelError("@cost needs a numeric 'weight'")
        return weight

    def build(self) -> CostModel:
        outputs: dict[str, dict[str, FieldCost]] = {}
        inputs: dict[str, dict[str, InputCost]] = {}
        possible: dict[str, frozenset[str]] = {}
        for name, named in self._schema.type_map.items():
            if name.startswith("__"):
                continue
            if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
                outputs[name] = {
                    field_name: self._field(name, field_name, definition)
                    for field_name, definition in named.fields.items()
                }
            if isinstance(named, GraphQLInputObjectType):
                inputs[name] = {
                    field_name: self._input(f"{name}.{field_name}", field_name, definition)
                    for field_name, definition in named.fields.items()
                }
            if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
                possible[name] = frozenset(t.name for t in self._schema.get_possible_types(named))
        roots = {
            operation: root.name
            for operation, root in (
                ("query", self._schema.query_type),
                ("mutation", self._schema.mutation_type),
                ("subscription", self._schema.subscription_type),
            )
            if root is not None
        }
        return CostModel(outputs, inputs, roots, possible)

    def _input(
        self, coordinate: str, name: str, definition: GraphQLArgument | GraphQLInputField
    ) -> InputCost:
        named = get_named_type(definition.type)
        weight = self._weight(coordinate)
        if weight is None and isinstance(named, GraphQLScalarType | GraphQLEnumType):
            weight = self._weight(named.name)
        default = definition.ast_node.default_value if definition.ast_node else None
        return InputCost(name, named.name, _kind(named), weight, default)

    def _field(self, parent: str, name: str, definition: GraphQLField) -> FieldCost:
        coordinate = f"{parent}.{name}"
        named = get_named_type(definition.type)
        weight = self._weight(coordinate)
        if weight is None:
            weight = self._weight(named.name)
        return FieldCost(
            name=name,
            parent_type=parent,
            type_name=named.name,
            kind=_kind(named),
            is_list=is_list_type(get_nullable_type(definition.type)),
            weight=weight,
            list_sizes=tuple(
                _list_size(rule, coordinate)
                for rule in self._directives.list_sizes.get(coordinate, ())
            ),
            arguments={
                arg_name: self._input(f"{coordinate}({arg_name}:)", arg_name, argument)
                for arg_name, argument in definition.args.items()
            },
            requires=self._requires(coordinate),
        )

    def _requires(self, coordinate: str) -> SelectionSetNode | None:
        requires = self._directives.requires.get(coordinate)
        if requires is None:
            return None
        return _selection_set(requires, "@join__field(requires:)")


def _list_size(directive: ListSizeDirective, where: str) -> ListSizeRule:
    assumed = _number(directive.assumed_size)
    slicing = _strings(directive.slicing_arguments)
    sized = _strings(directive.sized_fields)
    require_one = directive.require_one_slicing_argument
    sized_fields = None
    if sized is not None:
        sets = [_selection_set(text, f"sizedFields of {where}") for text in sized]
        for text, selection_set in zip(sized, sets, strict=True):
            _check_one_leaf_per_path(selection_set, text)
        sized_fields = _sized_fields(sets)
    return ListSizeRule(
        assumed_size=int(assumed) if assumed is not None else None,
        slicing_arguments=(
            tuple(tuple(path.split(".")) for path in slicing) if slicing is not None else None
        ),
        sized_fields=sized_fields,
        require_one_slicing_argument=require_one if isinstance(require_one, bool) else True,
    )
