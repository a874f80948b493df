"""Reads a schema's cost directives into a :class:`~gateway.limits.cost_model.CostModel`."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import (
    BooleanValueNode,
    ConstValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FloatValueNode,
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
    GraphQLSchema,
    GraphQLUnionType,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    build_ast_schema,
    get_named_type,
    get_nullable_type,
    is_list_type,
    parse,
)

from gateway.limits._links import CostDirectiveNames, resolve_cost_directive_names
from gateway.limits.cost_model import (
    CostModel,
    FieldCost,
    InputCost,
    ListSizeRule,
    SizedFields,
    TypeKind,
)
from gateway.limits.errors import CostModelError

__all__ = ["build_cost_model"]


def build_cost_model(document: DocumentNode) -> CostModel:
    """The cost model of a parsed schema document; raises :class:`CostModelError`."""
    names = resolve_cost_directive_names(document)
    try:
        schema = build_ast_schema(document, assume_valid_sdl=True)
    except (GraphQLError, TypeError) as error:
        raise CostModelError(f"the schema cannot be built: {error}") from error
    return _Builder(schema, names).build()


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


def _directives(node_owner: object) -> list[DirectiveNode]:
    nodes = [getattr(node_owner, "ast_node", None), *getattr(node_owner, "extension_ast_nodes", ())]
    return [d for node in nodes if node is not None for d in (node.directives or ())]


def _argument(directive: DirectiveNode, name: str) -> ConstValueNode | None:
    for argument in directive.arguments or ():
        if argument.name.value == name:
            return argument.value  # type: ignore[return-value]
    return None


def _number(value: ConstValueNode | None) -> float | None:
    if isinstance(value, IntValueNode | FloatValueNode | StringValueNode):
        try:
            return float(value.value)
        except ValueError:
            return None
    return None


def _strings(value: ConstValueNode | None) -> list[str] | None:
    if isinstance(value, ListValueNode):
        return [item.value for item in value.values if isinstance(item, StringValueNode)]
    if isinstance(value, StringValueNode):  # a single value coerces to a one-item list
        return [value.value]
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
    def __init__(self, schema: GraphQLSchema, names: CostDirectiveNames) -> None:
        self._schema = schema
        self._names = names

    def _weight(self, owner: object) -> float | None:
        for directive in _directives(owner):
            if directive.name.value == self._names.cost:
                weight = _number(_argument(directive, "weight"))
                if weight is None:
                    raise CostModelError("@cost needs a numeric 'weight'")
                return weight
        return None

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
                    field_name: self._input(field_name, definition)
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

    def _input(self, name: str, definition: GraphQLArgument | GraphQLInputField) -> InputCost:
        named = get_named_type(definition.type)
        weight = self._weight(definition)
        if weight is None and isinstance(named, GraphQLScalarType | GraphQLEnumType):
            weight = self._weight(named)
        default = definition.ast_node.default_value if definition.ast_node else None
        return InputCost(name, named.name, _kind(named), weight, default)

    def _field(self, parent: str, name: str, definition: GraphQLField) -> FieldCost:
        named = get_named_type(definition.type)
        weight = self._weight(definition)
        if weight is None:
            weight = self._weight(named)
        return FieldCost(
            name=name,
            parent_type=parent,
            type_name=named.name,
            kind=_kind(named),
            is_list=is_list_type(get_nullable_type(definition.type)),
            weight=weight,
            list_sizes=self._list_sizes(definition, f"{parent}.{name}"),
            arguments={
                arg_name: self._input(arg_name, argument)
                for arg_name, argument in definition.args.items()
            },
            requires=self._requires(definition),
        )

    def _list_sizes(self, definition: GraphQLField, where: str) -> tuple[ListSizeRule, ...]:
        rules = []
        for directive in _directives(definition):
            if directive.name.value != self._names.list_size:
                continue
            assumed = _number(_argument(directive, "assumedSize"))
            slicing = _strings(_argument(directive, "slicingArguments"))
            sized = _strings(_argument(directive, "sizedFields"))
            require_one = _argument(directive, "requireOneSlicingArgument")
            sized_fields = None
            if sized is not None:
                sets = [_selection_set(text, f"sizedFields of {where}") for text in sized]
                for text, selection_set in zip(sized, sets, strict=True):
                    _check_one_leaf_per_path(selection_set, text)
                sized_fields = _sized_fields(sets)
            rules.append(
                ListSizeRule(
                    assumed_size=int(assumed) if assumed is not None else None,
                    slicing_arguments=(
                        tuple(tuple(path.split(".")) for path in slicing)
                        if slicing is not None
                        else None
                    ),
                    sized_fields=sized_fields,
                    require_one_slicing_argument=(
                        require_one.value if isinstance(require_one, BooleanValueNode) else True
                    ),
                )
            )
        return tuple(rules)

    def _requires(self, definition: GraphQLField) -> SelectionSetNode | None:
        for directive in _directives(definition):
            if directive.name.value == self._names.join_field:
                requires = _argument(directive, "requires")
                if isinstance(requires, StringValueNode):
                    return _selection_set(requires.value, "@join__field(requires:)")
        return None
