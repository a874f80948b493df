"""The request and result types shared by the HTTP edge, the pipeline and the engine.

The HTTP layer (``gateway/http/``) turns a request into a :class:`GraphQLRequest` and a
:class:`RequestContext`, calls :meth:`GraphQLService.execute` (the pipeline) and serializes the
:class:`GraphQLResult` it gets back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from gateway.auth.principal import ANONYMOUS, Principal

if TYPE_CHECKING:
    from gateway.persisted.documents import ResolvedDocument

__all__ = [
    "GraphQLRequest",
    "GraphQLResult",
    "GraphQLService",
    "RequestContext",
    "SharedBody",
]


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    """One GraphQL operation request as the client sent it (one entry of a batch)."""

    query: str | None
    operation_name: str | None = None
    variables: Mapping[str, Any] | None = None
    extensions: Mapping[str, Any] | None = None
    #: a trusted document id (GraphQL-over-HTTP ``documentId``), resolved before parsing
    document_id: str | None = None
    #: a document the gateway itself vouches for (a REST route's operation, reviewed config):
    #: the document hook runs it for every client, whatever its persisted-documents mode. Only
    #: the REST endpoint (``gateway.rest.endpoint``) sets it; no GraphQL request decoding can.
    trusted_document: ResolvedDocument | None = None


@dataclass(slots=True)
class RequestContext:
    """Per-request state handed down the pipeline; never shared between requests."""

    request_id: str
    #: inbound HTTP headers, names lower-cased
    headers: Mapping[str, str] = field(default_factory=dict)
    #: ``False`` for GET: a mutation must then be refused with HTTP 405
    allow_mutations: bool = True
    #: the HTTP method (CSRF prevention reads it)
    method: str = "POST"
    #: who is calling, authenticated once per HTTP request (anonymous by default)
    principal: Principal = ANONYMOUS
    #: the TCP peer's address (the ASGI ``client``; ``None`` when unknown); budgets resolve
    #: forwarding headers of trusted proxies themselves (``gateway.limits.client_ip``)
    peer: str | None = None
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
    #: the body serialized once for every request sharing this execution (inbound
    #: deduplication); used only while the result still holds what it was made from
    shared_body: SharedBody | None = None

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


@dataclass(eq=False, slots=True)
class SharedBody:
    """One serialized body for the results of one shared execution (``http.deduplicate_inflight``).

    Every request that shared the execution gets its own :class:`GraphQLResult` (stages may add
    headers or extensions to it); the body is reused only for a result whose data, errors,
    extensions, status and correlation id are still those of the shared execution.
    """

    data: dict[str, Any] | None
    errors: list[dict[str, Any]] | None
    extensions: dict[str, Any] | None
    status_code: int
    request_id: str | None
    body: bytes | None = None

    def body_for(self, result: GraphQLResult, serialize: Callable[[], bytes]) -> bytes:
        """The shared body when ``result`` is unchanged (serialized once), else ``serialize()``."""
        if (
            result.data is not self.data
            or result.errors is not self.errors
            or result.extensions != self.extensions
            or result.status_code != self.status_code
            or result.request_id != self.request_id
        ):
            return serialize()
        if self.body is None:
            self.body = serialize()
        return self.body


class GraphQLService(Protocol):
    """Executes one GraphQL request over the current supergraph."""

    async def execute(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResult:
        """Run ``request``; never raises for client mistakes (they become errors in the result)."""
        ...
