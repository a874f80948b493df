"""Write rights of mutations: one declaration, printed as a Federation directive and enforced here.

Every mutation states who may run it with :func:`guarded_mutation`::

    INVENTORY_WRITE = requires_scopes(["inventory:write"])

    @guarded_mutation(INVENTORY_WRITE, description="Add or remove on-hand units.")
    async def adjust_stock(self, info: Info, input: AdjustStockInput) -> StockLevel: ...

The requirement becomes ``@requiresScopes`` / ``@policy`` in the subgraph's SDL, so the gateway
refuses callers without the right before planning (docs/security.md). The subgraph checks the
same requirement itself against the signed principal the gateway forwarded (a second line, as
for ownership, ADR 0905): a request with a principal that fails it gets ``FORBIDDEN`` and
nothing runs. A request without any principal (``PRINCIPAL_MODE=anonymous``, local
development only) is not restricted, exactly as ownership treats it.

Scopes are an OR of ANDs (``[["a", "b"], ["c"]]``: ``a`` and ``b``, or ``c``), as in Apollo. A
policy has a name (the gateway's named policy) and a check here over the principal and the
request's :class:`~subgraphs.common.ownership.Access`; several requirements must all pass.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.extensions import FieldExtension

from subgraphs.common.errors import ForbiddenError
from subgraphs.common.ownership import Access

if TYPE_CHECKING:
    from strawberry.types import Info

    from subgraphs.common.caller import Principal

__all__ = [
    "PolicyCheck",
    "Requirement",
    "RequirementCheck",
    "guarded_mutation",
    "requires_policy",
    "requires_scopes",
]

#: a policy's check in the subgraph: the verified principal and its access in, allowed out
PolicyCheck = Callable[["Principal", Access], bool]


@dataclass(frozen=True, slots=True)
class Requirement:
    """Who may run a field: scope alternatives and/or named policies (all given must pass)."""

    #: OR of ANDs of scopes (empty: no scope requirement)
    scopes: tuple[tuple[str, ...], ...] = ()
    #: policy name -> its check in this subgraph (empty: no policy requirement)
    policies: tuple[tuple[str, PolicyCheck], ...] = ()

    def __post_init__(self) -> None:
        if not self.scopes and not self.policies:
            raise ValueError("a requirement needs scopes or a policy")

    def federation_arguments(self) -> dict[str, Any]:
        """The arguments of ``strawberry.federation.mutation`` printing the directives."""
        arguments: dict[str, Any] = {}
        if self.scopes:
            arguments["requires_scopes"] = [list(group) for group in self.scopes]
        if self.policies:
            arguments["policy"] = [[name] for name, _ in self.policies]
        return arguments

    def allows(self, principal: Principal, access: Access) -> bool:
        """Whether ``principal`` (with ``access``) meets the requirement."""
        if self.scopes and not any(set(group) <= principal.scopes for group in self.scopes):
            return False
        return not self.policies or any(check(principal, access) for _, check in self.policies)


def requires_scopes(*alternatives: Sequence[str]) -> Requirement:
    """A requirement of scopes: each argument is one alternative (its scopes all needed)."""
    return Requirement(scopes=tuple(tuple(group) for group in alternatives))


def requires_policy(name: str, check: PolicyCheck) -> Requirement:
    """A requirement of the policy ``name`` (the gateway's), checked here by ``check``."""
    return Requirement(policies=((name, check),))


class RequirementCheck(FieldExtension):
    """Refuses (``FORBIDDEN``) a forwarded principal that fails the field's requirement."""

    def __init__(self, requirement: Requirement) -> None:
        self.requirement = requirement

    def _check(self, info: Info[Any, Any]) -> None:
        principal: Principal | None = info.context.principal
        if principal is None:
            return
        if not self.requirement.allows(principal, info.context.access):
            raise ForbiddenError(f"the caller may not run {info.field_name}")

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: Info[Any, Any], **kwargs: Any
    ) -> Any:
        """Check, then resolve (synchronous resolvers)."""
        self._check(info)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: Info[Any, Any],
        **kwargs: Any,
    ) -> Any:
        """Check, then resolve (asynchronous resolvers)."""
        self._check(info)
        return await next_(source, info, **kwargs)


def guarded_mutation(
    requirement: Requirement, *, description: str, inaccessible: bool = False
) -> Any:
    """``strawberry.federation.mutation`` with ``requirement`` in the SDL and enforced here."""
    field: Any = strawberry.federation.mutation(
        description=description,
        inaccessible=inaccessible,
        extensions=[RequirementCheck(requirement)],
        **requirement.federation_arguments(),
    )
    return field
