"""Which requirements guard which selection of an operation (no principal involved).

Each selection gets its *checks*: the requirements that must all hold for it to stay.

- a field: the field's own requirement and its return type's; at the root, the root type's;
  and when the enclosing scope is abstract (an interface or union, directly or through
  ``... on Interface``), the type and field requirements of *every* object type the value can
  be there, so that a restricted member type never leaks through an interface selection
  (``__typename`` is exempt, as in Apollo Router);
- an inline fragment or fragment spread: its type condition's requirement.

The possible object types narrow through type conditions, so a fragment is analysed once per
distinct (fragment, possible types, at root) context and shared by every spread in that
context: the analysis is linear in the document and the variants, never exponential.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
)

from gateway.authz._trampoline import Step
from gateway.authz.index import AuthorizationIndex
from gateway.authz.requirements import Requirement

__all__ = ["FragmentVariant", "Item", "ItemKind", "SelectionPlan", "build_plan"]

_UNCHECKED = frozenset({"__typename", "__schema", "__type"})


class ItemKind(Enum):
    """What an item of a selection plan stands for."""

    FIELD = "field"
    INLINE_FRAGMENT = "inline_fragment"
    FRAGMENT_SPREAD = "fragment_spread"


@dataclass(eq=False, slots=True)
class FragmentVariant:
    """A fragment definition analysed in one context."""

    definition: FragmentDefinitionNode
    body: SelectionPlan | None = None  # None while being built (a cycle points back here)


@dataclass(eq=False, slots=True)
class Item:
    """One selection with its checks and, below it, its own plan."""

    kind: ItemKind
    node: SelectionNode
    checks: frozenset[Requirement]
    response_key: str = ""
    list_depth: int = 0
    children: SelectionPlan | None = None
    fragment: FragmentVariant | None = None

    def below(self) -> SelectionPlan | None:
        """The plan of what this item selects (a spread's fragment body)."""
        if self.fragment is not None:
            return self.fragment.body
        return self.children


@dataclass(eq=False, slots=True)
class SelectionPlan:
    """A selection set analysed in one context; ``requirements`` covers the whole subtree."""

    node: SelectionSetNode
    items: tuple[Item, ...]
    requirements: frozenset[Requirement] = field(default_factory=frozenset)


def _list_depth(output_type: GraphQLOutputType) -> int:
    depth = 0
    current: object = output_type
    while isinstance(current, GraphQLNonNull | GraphQLList):
        depth += isinstance(current, GraphQLList)
        current = current.of_type
    return depth


class _Planner:
    def __init__(
        self,
        schema: GraphQLSchema,
        index: AuthorizationIndex,
        fragments: dict[str, FragmentDefinitionNode],
    ) -> None:
        self._schema = schema
        self._index = index
        self._fragments = fragments
        self._variants: dict[tuple[str, frozenset[str], bool], FragmentVariant] = {}

    def possible(self, composite: GraphQLCompositeType) -> frozenset[str]:
        if isinstance(composite, GraphQLObjectType):
            return frozenset({composite.name})
        return frozenset(t.name for t in self._schema.get_possible_types(composite))

    def plan(
        self,
        selection_set: SelectionSetNode,
        scope: GraphQLCompositeType,
        possible: frozenset[str],
        root: bool,
    ) -> Step[SelectionPlan]:
        items: list[Item] = []
        requirements: set[Requirement] = set()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                item = yield from self._field(selection, scope, possible, root)
            elif isinstance(selection, InlineFragmentNode):
                item = yield from self._inline(selection, scope, possible, root)
            elif isinstance(selection, FragmentSpreadNode):
                item = yield from self._spread(selection, possible, root)
            else:  # pragma: no cover - graphql-core has no other selection kind
                continue
            items.append(item)
            requirements.update(item.checks)
            below = item.below()
            if below is not None:
                requirements.update(below.requirements)
        return SelectionPlan(selection_set, tuple(items), frozenset(requirements))

    def _checks(self, *found: Requirement | None) -> set[Requirement]:
        return {requirement for requirement in found if requirement is not None}

    def _field(
        self,
        node: FieldNode,
        scope: GraphQLCompositeType,
        possible: frozenset[str],
        root: bool,
    ) -> Step[Item]:
        name = node.name.value
        key = node.alias.value if node.alias else name
        definition = getattr(scope, "fields", {}).get(name)
        if name in _UNCHECKED or definition is None:
            return Item(ItemKind.FIELD, node, frozenset(), key)
        returned = get_named_type(definition.type)
        index = self._index
        checks = self._checks(
            index.field_requirement(scope.name, name), index.type_requirement(returned.name)
        )
        if root:
            checks |= self._checks(index.type_requirement(scope.name))
        if is_abstract_type(scope):
            for member in possible:
                checks |= self._checks(
                    index.type_requirement(member), index.field_requirement(member, name)
                )
        children = None
        if node.selection_set is not None and is_composite_type(returned):
            assert isinstance(returned, GraphQLCompositeType)
            children = yield self.plan(node.selection_set, returned, self.possible(returned), False)
        return Item(
            ItemKind.FIELD,
            node,
            frozenset(checks),
            key,
            _list_depth(definition.type),
            children,
        )

    def _condition(
        self, type_name: str | None, scope: GraphQLCompositeType
    ) -> GraphQLCompositeType:
        if type_name is None:
            return scope
        found = self._schema.get_type(type_name)
        return found if isinstance(found, GraphQLCompositeType) else scope

    def _inline(
        self,
        node: InlineFragmentNode,
        scope: GraphQLCompositeType,
        possible: frozenset[str],
        root: bool,
    ) -> Step[Item]:
        condition_name = node.type_condition.name.value if node.type_condition else None
        condition = self._condition(condition_name, scope)
        checks = (
            self._checks(self._index.type_requirement(condition.name)) if condition_name else set()
        )
        narrowed = possible & self.possible(condition)
        children = yield self.plan(node.selection_set, condition, narrowed, root)
        return Item(ItemKind.INLINE_FRAGMENT, node, frozenset(checks), children=children)

    def _spread(self, node: FragmentSpreadNode, possible: frozenset[str], root: bool) -> Step[Item]:
        definition = self._fragments.get(node.name.value)
        if definition is None:
            return Item(ItemKind.FRAGMENT_SPREAD, node, frozenset())
        condition_name = definition.type_condition.name.value
        found = self._schema.get_type(condition_name)
        if not isinstance(found, GraphQLCompositeType):
            return Item(ItemKind.FRAGMENT_SPREAD, node, frozenset())
        checks = self._checks(self._index.type_requirement(condition_name))
        narrowed = possible & self.possible(found)
        memo_key = (definition.name.value, narrowed, root)
        variant = self._variants.get(memo_key)
        if variant is None:
            variant = FragmentVariant(definition)
            self._variants[memo_key] = variant
            variant.body = yield self.plan(definition.selection_set, found, narrowed, root)
        return Item(ItemKind.FRAGMENT_SPREAD, node, frozenset(checks), fragment=variant)


def build_plan(
    schema: GraphQLSchema,
    index: AuthorizationIndex,
    fragments: dict[str, FragmentDefinitionNode],
    selection_set: SelectionSetNode,
    root_type: GraphQLObjectType,
) -> Step[SelectionPlan]:
    """The step analysing an operation's root selection set (drive it with ``run``)."""
    planner = _Planner(schema, index, fragments)
    return planner.plan(selection_set, root_type, frozenset({root_type.name}), True)
