"""The planner's position: one immutable value passed down the walk instead of seven arguments."""

from __future__ import annotations

from dataclasses import dataclass, replace

from gateway.planning._groups import FetchGroup
from gateway.planning._provides import Provided, provided_at
from gateway.planning._selection_set import MSelectionSet

__all__ = ["PlanCursor"]


@dataclass(frozen=True, slots=True)
class PlanCursor:
    """Where the walk stands: which fetch, where in it, on which type, below which response path.

    The cursor itself never changes: each step makes a new one (:meth:`on_type`, :meth:`below`,
    :meth:`collecting`, :meth:`in_entity_fetch`). The fetch group, the selection set and the
    ``sources`` set it points to are the planner's mutable working state, filled as the walk
    goes.
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

    def on_type(self, type_name: str) -> PlanCursor:
        """The same objects seen as ``type_name``: a fragment on it in the same fetch."""
        return replace(
            self,
            selection=self.selection.fragment(type_name),
            type_name=type_name,
            provided=provided_at(self.provided, type_name),
        )

    def below(
        self,
        selection: MSelectionSet,
        type_name: str,
        path: tuple[str, ...],
        provided: Provided | None,
    ) -> PlanCursor:
        """Inside a field selected here: its selection set, type, path and provided fields."""
        return replace(self, selection=selection, type_name=type_name, path=path, provided=provided)

    def collecting(self, sources: set[int]) -> PlanCursor:
        """The same position, noting in ``sources`` the fetches what is planned comes from."""
        return replace(self, sources=sources)

    def in_entity_fetch(self, group: FetchGroup, entity_type: str) -> PlanCursor:
        """The same objects in the entity fetch ``group``, as its ``entity_type`` (no provides)."""
        return PlanCursor(
            group, group.selection.fragment(entity_type), entity_type, self.path, None, self.sources
        )

    def record_source(self) -> None:
        """Note that the current fetch selects something planned from here."""
        if self.sources is not None:
            self.sources.add(self.group.id)
