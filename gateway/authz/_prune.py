"""Remove the selections whose checks fail; report where they were.

Given the set of failing requirements, a selection whose checks meet it is removed and its
response path recorded (keys, with ``"@"`` for each list level crossed). A field whose
selections all go keeps ``__typename`` so it stays valid and still answers (its removed
children then come back null); an inline fragment or spread that ends up empty goes. A
fragment changed by pruning is emitted once under a new name (``Name__authzN``) for each
context it changed in; unchanged fragments keep their name. Everything is linear in the plan.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
)

from gateway.authz._plan import FragmentVariant, ItemKind, SelectionPlan
from gateway.authz._trampoline import Step, run
from gateway.authz.outcome import ResponsePath
from gateway.authz.requirements import Requirement

__all__ = ["PrunedOperation", "prune_operation"]

_TYPENAME = FieldNode(name=NameNode(value="__typename"))
_PathList = list[ResponsePath]


@dataclass(frozen=True, slots=True)
class PrunedOperation:
    """The operation without the unauthorized selections, and where they were."""

    document: DocumentNode
    paths: tuple[ResponsePath, ...]
    truncated: bool


class _Pruner:
    def __init__(self, failing: frozenset[Requirement], max_paths: int, taken: set[str]) -> None:
        self._failing = failing
        self._max_paths = max_paths
        self._taken = taken
        self._counter = itertools.count(1)
        self._variants: dict[FragmentVariant, tuple[str | None, _PathList]] = {}
        self.new_fragments: list[FragmentDefinitionNode] = []
        self.truncated = False

    def _blocked(self, requirements: frozenset[Requirement]) -> bool:
        return not requirements.isdisjoint(self._failing)

    def _add(self, paths: _PathList, found: Iterable[ResponsePath]) -> None:
        for path in found:
            if len(paths) >= self._max_paths:
                self.truncated = True
                return
            paths.append(path)

    def prune(self, plan: SelectionPlan) -> Step[tuple[SelectionSetNode | None, _PathList]]:
        if not self._blocked(plan.requirements):
            return plan.node, []
        selections: list[SelectionNode] = []
        paths: _PathList = []
        for item in plan.items:
            if self._blocked(item.checks):
                self._add(paths, [(item.response_key,) if item.kind is ItemKind.FIELD else ()])
                continue
            below = item.below()
            if below is None or not self._blocked(below.requirements):
                selections.append(item.node)
                continue
            if item.kind is ItemKind.FRAGMENT_SPREAD:
                assert item.fragment is not None and isinstance(item.node, FragmentSpreadNode)
                name, found = yield self._variant(item.fragment)
                self._add(paths, found)
                if name is not None:
                    selections.append(replace(item.node, name=NameNode(value=name)))
                continue
            new_set, found = yield self.prune(below)
            if item.kind is ItemKind.FIELD:
                assert isinstance(item.node, FieldNode)
                step = (item.response_key, *("@" for _ in range(item.list_depth)))
                self._add(paths, (step + path for path in found))
                selections.append(
                    replace(
                        item.node,
                        selection_set=new_set or SelectionSetNode(selections=(_TYPENAME,)),
                    )
                )
            else:
                assert isinstance(item.node, InlineFragmentNode)
                self._add(paths, found)
                if new_set is not None:
                    selections.append(replace(item.node, selection_set=new_set))
        return (SelectionSetNode(selections=tuple(selections)) if selections else None), paths

    def _variant(self, variant: FragmentVariant) -> Step[tuple[str | None, _PathList]]:
        known = self._variants.get(variant)
        if known is not None:
            return known
        assert variant.body is not None
        new_set, paths = yield self.prune(variant.body)
        name: str | None = None
        if new_set is not None:
            name = self._fresh_name(variant.definition.name.value)
            self.new_fragments.append(
                replace(variant.definition, name=NameNode(value=name), selection_set=new_set)
            )
        self._variants[variant] = (name, paths)
        return name, paths

    def _fresh_name(self, base: str) -> str:
        while True:
            name = f"{base}__authz{next(self._counter)}"
            if name not in self._taken:
                self._taken.add(name)
                return name


def prune_operation(
    operation: OperationDefinitionNode,
    plan: SelectionPlan,
    fragments: dict[str, FragmentDefinitionNode],
    failing: frozenset[Requirement],
    max_paths: int,
) -> PrunedOperation:
    """The document holding ``operation`` pruned for ``failing``, with the fragments it uses."""
    pruner = _Pruner(failing, max_paths, set(fragments))
    new_root, paths = run(pruner.prune(plan))
    pruned = replace(operation, selection_set=new_root or SelectionSetNode(selections=(_TYPENAME,)))
    definitions: list[OperationDefinitionNode | FragmentDefinitionNode] = [
        pruned,
        *pruner.new_fragments,
    ]
    definitions.extend(_original_fragments_used(definitions, fragments))
    return PrunedOperation(
        DocumentNode(definitions=tuple(definitions)), tuple(dict.fromkeys(paths)), pruner.truncated
    )


def _original_fragments_used(
    roots: list[OperationDefinitionNode | FragmentDefinitionNode],
    fragments: dict[str, FragmentDefinitionNode],
) -> list[FragmentDefinitionNode]:
    """The original fragment definitions spread (transitively) from ``roots``."""
    used: dict[str, FragmentDefinitionNode] = {}
    stack = [root.selection_set for root in roots]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                definition = fragments.get(name)
                if definition is not None and name not in used:
                    used[name] = definition
                    stack.append(definition.selection_set)
            elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                stack.append(selection.selection_set)
    return list(used.values())
