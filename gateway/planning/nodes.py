"""The query plan as plain data.

A plan is a tree of :class:`Fetch`, :class:`Flatten`, :class:`Sequence`, :class:`Parallel` and
:class:`Condition` nodes, all frozen dataclasses: built once per document, cached, and walked by
the executor with one ``match``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Condition",
    "EntityBatch",
    "EntityInput",
    "Fetch",
    "Flatten",
    "InputField",
    "InputSelection",
    "Parallel",
    "PlanNode",
    "QueryPlan",
    "Sequence",
]


@dataclass(frozen=True, slots=True)
class InputField:
    """One field of an entity representation: ``out_key`` read from ``data_key`` of the data."""

    out_key: str
    data_key: str
    selection: InputSelection | None = None


@dataclass(frozen=True, slots=True)
class InputSelection:
    """How to build (part of) a representation from a merged response object."""

    fields: tuple[InputField, ...]
    #: extra fields when the object's ``__typename`` is the key (fragments in ``@requires``)
    by_type: tuple[tuple[str, tuple[InputField, ...]], ...] = ()
    #: copy ``__typename`` into the representation (abstract positions)
    with_typename: bool = False


@dataclass(frozen=True, slots=True)
class EntityInput:
    """Representations for the objects whose ``__typename`` is ``runtime_type``."""

    runtime_type: str
    #: the ``__typename`` sent to the subgraph (an ``@interfaceObject`` receives the interface)
    send_type: str
    selection: InputSelection


@dataclass(frozen=True, slots=True)
class Fetch:
    """One subgraph operation; with ``inputs`` it is an ``_entities`` fetch."""

    id: int
    service: str
    operation: str
    operation_kind: Literal["query", "mutation"] = "query"
    #: the client variables the operation uses (forwarded as they were coerced)
    variables: tuple[str, ...] = ()
    inputs: tuple[EntityInput, ...] = ()
    #: fetch ids this one waits for (for display and debugging)
    depends_on: tuple[int, ...] = ()
    #: (path in the fetched data, key sent, key wanted): fields renamed once they arrive
    renames: tuple[tuple[tuple[str, ...], str, str], ...] = ()
    #: the ``_entities`` selection alone (``{...on T{...}}``), for batching entity fetches
    entity_selection: str = ""
    #: declarations of the client variables used (``$name:Type=default``)
    variable_declarations: tuple[str, ...] = ()

    @property
    def is_entity_fetch(self) -> bool:
        """Whether this fetch resolves ``_entities`` from representations."""
        return bool(self.inputs)


@dataclass(frozen=True, slots=True)
class Flatten:
    """Run ``node`` for every object found at ``path`` (``@`` steps into lists)."""

    path: tuple[str, ...]
    node: Fetch


@dataclass(frozen=True, slots=True)
class EntityBatch:
    """Several entity fetches of one plan step to one subgraph, sent as one request.

    ``operation`` selects ``_entities`` once per part, aliased ``_0``, ``_1``..., each with its
    own ``$r0``, ``$r1``... representations.
    """

    service: str
    operation: str
    parts: tuple[Flatten, ...]


@dataclass(frozen=True, slots=True)
class Sequence:
    """Run the nodes one after the other."""

    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class Parallel:
    """Run the nodes concurrently."""

    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    """Run ``if_true`` when the boolean variable ``variable`` is true, else ``if_false``."""

    variable: str
    if_true: PlanNode | None = None
    if_false: PlanNode | None = None


PlanNode = Fetch | Flatten | EntityBatch | Sequence | Parallel | Condition


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """A whole plan; ``node`` is ``None`` when nothing is fetched (introspection only)."""

    node: PlanNode | None
    fetches: tuple[Fetch, ...] = field(default=())
