"""What the executor precomputes once per plan: entity-fetch groups, path tries, key readers.

A :class:`Program` is built the first time a :class:`QueryPlan` runs and cached with it (see
:class:`ProgramCache`). Per request the executor then

- collects the objects of every entity fetch that starts at the same point of the plan (the
  direct entity children of a ``Parallel``, or one ``Flatten``/``EntityBatch`` on its own) in
  one walk over a trie of their paths, instead of one walk from the root per fetch;
- builds the representations once per distinct (path, entity inputs) of such a group (two
  subgraphs fetching fields of the same objects by the same key share them);
- identifies objects by their plain scalar key values read with one ``itemgetter`` call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from gateway.planning.nodes import (
    Condition,
    EntityBatch,
    EntityInput,
    Fetch,
    Flatten,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
)

__all__ = ["EntityReader", "Group", "PathTrie", "Program", "ProgramCache", "compile_program"]


@dataclass(slots=True)
class PathTrie:
    """Merge paths sharing their prefixes; ``path`` is set where a wanted path ends."""

    path: tuple[str, ...] | None = None
    children: list[tuple[str, PathTrie]] = field(default_factory=list)

    def add(self, path: tuple[str, ...]) -> None:
        """Add ``path`` (``@`` steps into lists)."""
        node = self
        for step in path:
            for name, child in node.children:
                if name == step:
                    node = child
                    break
            else:
                child = PathTrie()
                node.children.append((step, child))
                node = child
        node.path = path


@dataclass(slots=True)
class EntityReader:
    """How to identify and represent the objects of one runtime type for one entity fetch."""

    entity_input: EntityInput
    #: index of the identity table: readers sending the same ``__typename`` share one
    table: int
    #: reads the plain scalar key values (one value for one key, else a tuple); ``None``
    #: when the key has nested selections or type conditions (identified by canonical JSON)
    keys: Callable[[dict[str, Any]], Any] | None
    #: the representation's keys for those values, in the same order
    out_keys: tuple[str, ...]


@dataclass(slots=True)
class Share:
    """One distinct (path, entity inputs) of a group: its representations are built once."""

    path: tuple[str, ...]
    readers: dict[str, EntityReader]
    tables: int


@dataclass(slots=True)
class Group:
    """Entity fetches that start at the same point of the plan, prepared together."""

    trie: PathTrie
    shares: list[Share]
    #: ``id`` of each ``Flatten`` of the group -> index in ``shares``
    share_of: dict[int, int]


@dataclass(slots=True)
class Program:
    """The precomputed groups of one plan, by ``id`` of the node that starts them."""

    plan: QueryPlan
    #: a ``Parallel``'s direct entity children, and every ``Flatten``/``EntityBatch`` alone
    groups: dict[int, Group]
    #: no fetch of the plan is a mutation: its fetches may be retried (ADR 0207)
    read_only: bool = True


def _readers(inputs: tuple[EntityInput, ...]) -> tuple[dict[str, EntityReader], int]:
    tables: dict[str, int] = {}
    readers: dict[str, EntityReader] = {}
    for entity_input in inputs:
        table = tables.setdefault(entity_input.send_type, len(tables))
        selection = entity_input.selection
        flat = not selection.by_type and all(f.selection is None for f in selection.fields)
        keys: Callable[[dict[str, Any]], Any] | None = None
        if flat and selection.fields:
            keys = itemgetter(*(f.data_key for f in selection.fields))
        readers[entity_input.runtime_type] = EntityReader(
            entity_input, table, keys, tuple(f.out_key for f in selection.fields)
        )
    return readers, len(tables)


def _group(flattens: list[Flatten]) -> Group:
    trie = PathTrie()
    shares: list[Share] = []
    index_of: dict[tuple[tuple[str, ...], tuple[EntityInput, ...]], int] = {}
    share_of: dict[int, int] = {}
    for flatten in flattens:
        signature = (flatten.path, flatten.node.inputs)
        index = index_of.get(signature)
        if index is None:
            readers, tables = _readers(flatten.node.inputs)
            index = index_of[signature] = len(shares)
            shares.append(Share(flatten.path, readers, tables))
            trie.add(flatten.path)
        share_of[id(flatten)] = index
    return Group(trie, shares, share_of)


def _parts(node: PlanNode) -> list[Flatten]:
    if isinstance(node, Flatten):
        return [node]
    if isinstance(node, EntityBatch):
        return list(node.parts)
    return []


def compile_program(plan: QueryPlan) -> Program:
    """Precompute the entity-fetch groups of ``plan``."""
    groups: dict[int, Group] = {}
    mutations: list[Fetch] = []

    def visit(node: PlanNode | None) -> None:
        match node:
            case Fetch():
                if node.operation_kind != "query":
                    mutations.append(node)
            case Flatten() | EntityBatch():
                groups[id(node)] = _group(_parts(node))
            case Sequence():
                for child in node.nodes:
                    visit(child)
            case Parallel():
                together = [part for child in node.nodes for part in _parts(child)]
                if together:
                    groups[id(node)] = _group(together)
                for child in node.nodes:
                    visit(child)
            case Condition():
                visit(node.if_true)
                visit(node.if_false)
            case _:
                return

    visit(plan.node)
    read_only = not mutations and all(f.operation_kind == "query" for f in plan.fetches)
    return Program(plan, groups, read_only)


class ProgramCache:
    """Programs by plan identity; each entry holds its plan so the ``id`` stays its own."""

    __slots__ = ("_entries", "_size")

    def __init__(self, size: int = 1024) -> None:
        self._entries: dict[int, Program] = {}
        self._size = size

    def get(self, plan: QueryPlan) -> Program:
        """The program of ``plan``, compiled on first use."""
        program = self._entries.get(id(plan))
        if program is not None and program.plan is plan:
            return program
        program = compile_program(plan)
        if len(self._entries) >= self._size:  # the oldest plan goes first
            del self._entries[next(iter(self._entries))]
        self._entries[id(plan)] = program
        return program
