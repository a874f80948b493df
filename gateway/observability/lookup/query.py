"""Who may read a request record, and the lookup itself (shared by ``GET /requests/{id}`` and,
later, the gateway's own GraphQL API).

A record is read by its owner only: the same client for API keys (any key of the client), the
same issuer and subject for tokens. A principal holding :data:`READ_ANY_SCOPE` reads any
record. Anyone else is told nothing: a record they may not read is answered as absent.
"""

from __future__ import annotations

from typing import Any

from gateway.auth.principal import Principal, PrincipalKind
from gateway.observability.lookup.store import LookupStore

__all__ = ["READ_ANY_SCOPE", "lookup_request", "owner_key"]

#: the scope of operators who may read every client's records
READ_ANY_SCOPE = "requests:read:any"


def owner_key(principal: Principal | None) -> str:
    """The owner a record of ``principal``'s request is filed under."""
    if principal is None or not principal.is_authenticated:
        return "anonymous"
    if principal.kind is PrincipalKind.API_KEY:
        return f"client:{principal.client_id}"
    return f"subject:{principal.issuer or ''}:{principal.subject or ''}"


async def lookup_request(
    store: LookupStore, request_id: str, principal: Principal
) -> dict[str, Any] | None:
    """The record of ``request_id`` that ``principal`` may read (``None``: none, expired, or
    not theirs). Anonymous callers read nothing."""
    if not principal.is_authenticated:
        return None
    if READ_ANY_SCOPE in principal.scopes:
        return await store.get_any(request_id)
    return await store.get(request_id, owner_key(principal))
