"""The planner's position: one immutable value passed down the walk instead of seven arguments."""

from __future__ import annotations

from dataclasses import dataclass, replace

from gateway.planning._groups import FetchGroup
from gateway.planning._provides import Provided
from gateway.planning._selection_set import MSelectionSet

__all__ = ["PlanCursor"]


@dataclass(frozen=True, slots=True)
class PlanCursor:
    """Where the walk stands: which fetch, where in it, on which type, below which response path.

    The cursor itself never changes (a step down makes a new one with :meth:`moved`); the fetch
    group, the selection set and the ``sources`` set it points to are the planner's mutable
    working state, filled as the walk goes.
    """

    #: the fetch the fields at this position are selected in
    group: FetchGroup
    #: the selection set (inside ``group``'s operation) fields are added to
    selection: MSelectionSet
    #: the type of the objects at this position, as ``group``'s subgraph sees it
    type_name: str
    #: response path of the objects (``@`` = each list item); ``()`` is the root
    path: tuple[str, ...]
    #: fields a ``@provides`` above makes resolvable here
    provided: Provided | None = None
    #: when set, collects the ids of the fetches that select what is planned from here (the
    #: fetches a later one must wait for when it needs these fields, e.g. a key or ``@requires``)
    sources: set[int] | None = None

    @property
    def graph(self) -> str:
        """The subgraph of the current fetch."""
        return self.group.graph

    def moved(self, **changes: object) -> PlanCursor:
        """A copy with ``changes`` (any field of the cursor)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def record_source(self) -> None:
        """Note that the current fetch selects something planned from here."""
        if self.sources is not None:
            self.sources.add(self.group.id)
