"""Who is calling: the :class:`Principal` every later stage (authorization, rate limits) reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from wire.principal import PrincipalClaims

__all__ = ["ANONYMOUS", "Principal", "PrincipalKind", "claims_of"]


class PrincipalKind(StrEnum):
    """How the caller proved who it is."""

    JWT = "jwt"
    API_KEY = "api_key"
    ANONYMOUS = "anonymous"


def _no_claims() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated (or anonymous) caller.

    ``scopes`` already include the scopes granted by ``roles`` through the configured role to
    scope mapping, so authorization only ever looks at ``scopes``. ``claims`` are the verified
    JWT claims (or, for an API key, a small synthetic claim set); they are read-only.
    """

    kind: PrincipalKind
    subject: str | None = None
    issuer: str | None = None
    client_id: str | None = None
    customer_id: str | None = None
    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    claims: Mapping[str, Any] = field(default_factory=_no_claims, compare=False, hash=False)

    @property
    def is_authenticated(self) -> bool:
        """``True`` unless the caller is anonymous."""
        return self.kind is not PrincipalKind.ANONYMOUS


#: The caller that presented no credentials (only where configuration allows it).
ANONYMOUS = Principal(kind=PrincipalKind.ANONYMOUS)


def claims_of(principal: Principal) -> PrincipalClaims:
    """The claims a subgraph learns about ``principal`` (scopes already include those of its
    roles), ready for :func:`wire.principal.encode_claims`."""
    return PrincipalClaims(
        kind=principal.kind.value,
        subject=principal.subject,
        customer_id=principal.customer_id,
        client_id=principal.client_id,
        roles=principal.roles,
        scopes=principal.scopes,
    )
