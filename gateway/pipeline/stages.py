"""The ``Stage`` protocol: a feature joins the request path at named hooks.

A stage is an object with a ``name`` and any of five hooks (each optional; a stage implements
only the hooks it needs, and the pipeline calls only the stages that have a hook, so an absent
hook costs nothing per request):

``on_request(context)``
    The HTTP request, once, before the body is read (CSRF, authentication). Returns a refusal
    (a :class:`GraphQLResult`) or ``None``; may set ``context.principal``.
``on_document(operation)``
    Before parsing: find the document to run (persisted documents, APQ). Returns a refusal or
    ``None``; may set ``operation.document`` and ``operation.profile``.
``on_operation(operation, proceed)``
    Around the execution of the parsed, validated operation (variables, anonymous mutations,
    authorization, page sizes, idempotency, cost): may refuse (return without calling
    ``proceed``), replay a stored result, or act before and after.
``fetch_headers()``
    The subgraph fetch: the :class:`HeaderSource` values this stage adds to every subgraph
    fetch of an operation (correlation id, signed principal, ``Idempotency-Key``); asked once,
    when the pipeline is assembled.
``on_response(operation, result)``
    Every result on its way out, refusals included (``RateLimit`` fields of replays, error
    scrubbing); returns the result to send.

The ordered list of stages is :mod:`gateway.pipeline.assembly`; docs/pipeline.md shows it.

Usage::

    class Audit:
        name = "audit"

        async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
            result = await proceed(operation)
            log(operation.request.operation_name, result.status_code)
            return result
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any, Protocol, runtime_checkable

from gateway.authz.outcome import AuthorizationOutcome
from gateway.engine.documents import PreparedOperation
from gateway.engine.types import GraphQLRequest, GraphQLResult, RequestContext
from gateway.persisted.clients import ClientProfile
from gateway.persisted.documents import ResolvedDocument
from gateway.pipeline.fetch_headers import HeaderSource

__all__ = [
    "DocumentHook",
    "FetchHook",
    "Operation",
    "OperationHook",
    "Proceed",
    "RequestHook",
    "ResponseHook",
    "Stage",
    "chain",
    "document_hooks",
    "fetch_hooks",
    "operation_hooks",
    "request_hooks",
    "response_hooks",
]


class Operation:
    """One GraphQL operation on its way through the pipeline (one entry of a batch).

    Made once per operation; the hooks fill it in as it goes: ``document`` (the document hook
    or the raw query), ``prepared`` (parse and validation), ``variables`` (coercion),
    ``authorization``. A hook only reads what the steps before it have set.
    """

    __slots__ = (
        "authorization",
        "client_id",
        "context",
        "document",
        "prepared",
        "profile",
        "request",
        "variables",
    )

    request: GraphQLRequest
    context: RequestContext
    #: the caller's client id (``None``: anonymous bucket and the clients file's defaults)
    client_id: str | None
    #: the caller's client profile (``None`` without the persisted-documents stage)
    profile: ClientProfile | None
    document: ResolvedDocument
    prepared: PreparedOperation
    #: variable values coerced to the operation's types
    variables: dict[str, Any]
    #: ``None`` when the operation touches no authorization requirement
    authorization: AuthorizationOutcome | None

    def __init__(self, request: GraphQLRequest, context: RequestContext) -> None:
        self.request = request
        self.context = context
        self.client_id = context.principal.client_id
        self.profile = None
        self.authorization = None


#: the rest of the pipeline, from the next stage to the shaped response
Proceed = Callable[[Operation], Awaitable[GraphQLResult]]


class Stage(Protocol):
    """A feature on the request path: a name and any of the hooks below."""

    #: a short name for logs, metrics and docs/pipeline.md
    name: str


@runtime_checkable
class RequestHook(Protocol):
    """A stage with the HTTP-request hook."""

    name: str

    async def on_request(self, context: RequestContext) -> GraphQLResult | None:
        """Refuse the HTTP request (a result) or let it through (``None``)."""
        ...


@runtime_checkable
class DocumentHook(Protocol):
    """A stage with the document hook."""

    name: str

    async def on_document(self, operation: Operation) -> GraphQLResult | None:
        """Set the document to run, or refuse."""
        ...


@runtime_checkable
class OperationHook(Protocol):
    """A stage with the operation hook."""

    name: str

    async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        """Run around ``proceed``; never raise for client mistakes (return a result)."""
        ...


@runtime_checkable
class FetchHook(Protocol):
    """A stage with the subgraph-fetch hook."""

    name: str

    def fetch_headers(self) -> Sequence[HeaderSource]:
        """The headers this stage adds to subgraph fetches."""
        ...


@runtime_checkable
class ResponseHook(Protocol):
    """A stage with the response hook."""

    name: str

    async def on_response(self, operation: Operation, result: GraphQLResult) -> GraphQLResult:
        """The result to send (a copy when changed: results may be shared)."""
        ...


def _having(stages: Sequence[object], hook: Any) -> tuple[Any, ...]:
    return tuple(stage for stage in stages if isinstance(stage, hook))


def request_hooks(stages: Sequence[object]) -> tuple[RequestHook, ...]:
    """The stages with the HTTP-request hook, in order."""
    return _having(stages, RequestHook)


def document_hooks(stages: Sequence[object]) -> tuple[DocumentHook, ...]:
    """The stages with the document hook, in order."""
    return _having(stages, DocumentHook)


def operation_hooks(stages: Sequence[object]) -> tuple[OperationHook, ...]:
    """The stages with the operation hook, in order."""
    return _having(stages, OperationHook)


def fetch_hooks(stages: Sequence[object]) -> tuple[FetchHook, ...]:
    """The stages with the subgraph-fetch hook, in order."""
    return _having(stages, FetchHook)


def response_hooks(stages: Sequence[object]) -> tuple[ResponseHook, ...]:
    """The stages with the response hook, in order."""
    return _having(stages, ResponseHook)


def chain(stages: Sequence[OperationHook], last: Proceed) -> Proceed:
    """``stages`` wrapped around ``last``, first stage outermost (built once, not per request)."""
    handler = last
    for stage in reversed(stages):
        handler = partial(stage.on_operation, proceed=handler)
    return handler
