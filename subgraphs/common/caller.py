"""Who is calling a subgraph: the :class:`Principal` the gateway forwarded and verified.

:mod:`subgraphs.common.principal` builds it from the signed headers, the request context
(:mod:`subgraphs.common.context`) carries it, and :mod:`subgraphs.common.ownership` and the
rights checks read it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Principal"]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, as the gateway verified it: the claims subgraphs need for ownership."""

    #: how the caller authenticated at the gateway: ``jwt``, ``api_key`` or ``anonymous``
    kind: str
    subject: str | None = None
    #: the customer the caller acts for (storefront users)
    customer_id: str | None = None
    client_id: str | None = None
    roles: frozenset[str] = frozenset()
    #: scopes, including those granted by the roles
    scopes: frozenset[str] = frozenset()
