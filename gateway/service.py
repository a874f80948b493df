"""The seam between the HTTP edge and the GraphQL engine.

The HTTP layer (``gateway/http/``) turns a request into a :class:`GraphQLRequest` and a
:class:`RequestContext`, calls :meth:`GraphQLService.execute` and serializes the
:class:`GraphQLResult` it gets back. Everything between (documents, planning, execution) sits
behind :class:`GraphQLService`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from gateway.auth.principal import ANONYMOUS, Principal

__all__ = ["GraphQLRequest", "GraphQLResult", "GraphQLService", "RequestContext"]


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    """One GraphQL operation request as the client sent it (one entry of a batch)."""

    query: str | None
    operation_name: str | None = None
    variables: Mapping[str, Any] | None = None
    extensions: Mapping[str, Any] | None = None
    #: a trusted document id (GraphQL-over-HTTP ``documentId``), resolved before parsing
    document_id: str | None = None


@dataclass(slots=True)
class RequestContext:
    """Per-request state handed down the pipeline; never shared between requests."""

    request_id: str
    #: inbound HTTP headers, names lower-cased
    headers: Mapping[str, str] = field(default_factory=dict)
    #: ``False`` for GET: a mutation must then be refused with HTTP 405
    allow_mutations: bool = True
    #: who is calling, authenticated once per HTTP request (anonymous by default)
    principal: Principal = ANONYMOUS
    #: free slots for later stages
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class GraphQLResult:
    """A GraphQL response plus the HTTP status and headers the edge should use."""

    data: dict[str, Any] | None = None
    errors: list[dict[str, Any]] | None = None
    extensions: dict[str, Any] | None = None
    #: 200 for an executed operation (even with errors); 400 for a request that never executed;
    #: 405 for a mutation over GET; other stages may set 401/413/429...
    status_code: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    #: the correlation id of the request that produced this result, when it is not the current
    #: one (an idempotent replay): the edge then puts it, not the current id, on the errors, so
    #: the replayed body is byte for byte the original
    request_id: str | None = None

    def to_payload(self) -> dict[str, Any]:
        """The response body as the GraphQL-over-HTTP spec shapes it."""
        payload: dict[str, Any] = {}
        if self.errors:
            payload["errors"] = self.errors
        if self.data is not None or self.status_code == 200:
            payload["data"] = self.data
        if self.extensions:
            payload["extensions"] = self.extensions
        return payload


class GraphQLService(Protocol):
    """Executes one GraphQL request over the current supergraph."""

    async def execute(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResult:
        """Run ``request``; never raises for client mistakes (they become errors in the result)."""
        ...
