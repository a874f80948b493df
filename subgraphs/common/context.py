"""Per-request state of a subgraph: request id, DataLoaders, the unit-of-work factory, principal.

One :class:`SubgraphContext` is built per GraphQL request by the app (see
:mod:`subgraphs.common.app`); resolvers reach it as ``info.context``. Nothing per-request is
ever stored in a module global.

The ``principal`` slot is the hook for the gateway's signed principal headers (a later issue):
a :class:`PrincipalResolver` turns the request into a verified :class:`Principal` or ``None``.
Today the only resolver is :class:`NoPrincipal`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from starlette.requests import Request

from subgraphs.common.uow import UnitOfWork

__all__ = ["NoPrincipal", "Principal", "PrincipalResolver", "SubgraphContext"]

LoadersT = TypeVar("LoadersT")
UnitOfWorkT = TypeVar("UnitOfWorkT", bound=UnitOfWork)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, as verified from the request (subject, roles, free-form claims)."""

    subject: str
    roles: frozenset[str] = frozenset()
    claims: Mapping[str, object] = field(default_factory=dict)


class PrincipalResolver(Protocol):
    """Turns an inbound request into a verified principal, or ``None`` when there is none."""

    async def __call__(self, request: Request) -> Principal | None:
        """Verify the request's principal headers; never trust unsigned input."""
        ...


class NoPrincipal:
    """The resolver used until the gateway signs principal headers: nobody is verified."""

    async def __call__(self, request: Request) -> Principal | None:
        """Always ``None``."""
        del request
        return None


@dataclass(slots=True)
class SubgraphContext(Generic[LoadersT, UnitOfWorkT]):
    """What a resolver may use: ``loaders`` for reads, ``unit_of_work()`` for one use case."""

    request: Request
    request_id: str
    loaders: LoadersT
    unit_of_work_factory: Callable[[], UnitOfWorkT]
    principal: Principal | None = None

    def unit_of_work(self) -> UnitOfWorkT:
        """A fresh unit of work (one per mutation)."""
        return self.unit_of_work_factory()
