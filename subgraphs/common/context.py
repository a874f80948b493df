"""Per-request state of a subgraph: request id, DataLoaders, the unit-of-work factory, principal.

One :class:`SubgraphContext` is built per GraphQL request by the app (see
:mod:`subgraphs.common.app`); resolvers reach it as ``info.context``. Nothing per-request is
ever stored in a module global.

The ``principal`` slot holds the caller the gateway forwarded in its principal headers: a
:class:`PrincipalResolver` turns the request into a verified :class:`Principal` or ``None``
(:mod:`subgraphs.common.caller`; :mod:`subgraphs.common.principal` verifies the signed
headers; :class:`NoPrincipal` trusts nobody). What the principal may see is decided by
:mod:`subgraphs.common.ownership` and applied by the repositories.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from starlette.requests import Request

from subgraphs.common.caller import Principal
from subgraphs.common.idempotency import OnceKey
from subgraphs.common.metrics import SubgraphMetrics
from subgraphs.common.ownership import ALL_ACCESS, Access
from subgraphs.common.uow import UnitOfWork

__all__ = ["NoPrincipal", "PrincipalResolver", "SubgraphContext"]

LoadersT = TypeVar("LoadersT")
UnitOfWorkT = TypeVar("UnitOfWorkT", bound=UnitOfWork)


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
    #: whose objects the request may see (the repositories apply it)
    access: Access = ALL_ACCESS
    #: the app's metrics (resolver errors are counted by code); ``None`` with metrics off
    metrics: SubgraphMetrics | None = None

    def unit_of_work(self, once: OnceKey | None = None) -> UnitOfWorkT:
        """A fresh unit of work (one per mutation), exactly once per ``once`` key if given."""
        return self.unit_of_work_factory().for_key(once)
