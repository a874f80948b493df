"""What one HTTP request did, noted as it goes and recorded once at its end.

:class:`ObservedRoute` wraps a route's ASGI app (``/graphql``, ``/jobs``): it counts the request
in flight, times it, and when the response has gone records the request histogram and writes
the access line. In between, the edges and the pipeline note on the request's
:class:`RequestObservation` (kept in the ASGI scope's state, never in a global):

- the HTTP edge ties the request's :class:`RequestContext` to it (:func:`observe_context`: the
  principal, the transport a REST edge or ``/jobs`` sets in ``context.attributes``) and notes
  the results it sends (:func:`note_results`; refusals at the edge count as rejections);
- the ``observability`` stage (:mod:`gateway.observability.stage`) notes each operation: its
  name, document hash, whether its document is trusted.

Usage (``create_app``)::

    Route("/graphql", ObservedRoute(endpoint, recorder, transport="graphql"))
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.engine.types import GraphQLResult, RequestContext
from gateway.execution.trail import TRAIL, ExecutionTrail
from gateway.observability.access_log import AccessLog
from gateway.observability.labels import client_label
from gateway.observability.metrics import GatewayMetrics

__all__ = [
    "OBSERVATION",
    "ObservedRoute",
    "OperationNote",
    "RecordSink",
    "RequestObservation",
    "RequestRecorder",
    "error_codes",
    "note_codes",
    "note_results",
    "observation_of",
    "observe_context",
    "observed",
]

#: the key of the observation in ``scope["state"]`` and in ``RequestContext.attributes``
OBSERVATION = "ordergate.observation"
#: the headers a client names its version in (Apollo's, then the generic one)
_VERSION_HEADERS = ("apollographql-client-version", "graphql-client-version")
_MAX_NAME = 200
#: a response never started: the client went away
_CLIENT_CLOSED = 499


@dataclass(slots=True)
class OperationNote:
    """One operation of the request, as the pipeline saw it."""

    #: the operation's name (``None``: anonymous, or never parsed)
    name: str | None
    #: SHA-256 of the document that ran (``None``: no document was resolved)
    document_hash: str | None
    #: the document is a trusted (persisted) one: its name is a known label value
    trusted: bool


@dataclass(slots=True)
class RequestObservation:
    """Notes on one HTTP request; made by :class:`ObservedRoute`."""

    #: the transport unless the request's context names another
    transport: str
    started: float
    context: RequestContext | None = None
    operations: list[OperationNote] = field(default_factory=list)
    results: list[GraphQLResult] = field(default_factory=list)
    #: codes of refusals made at the edge, before any operation (authentication, CSRF, ...)
    edge_codes: list[str] = field(default_factory=list)
    status: int = _CLIENT_CLOSED
    #: plans and fetch timings for the request lookup (``None``: the lookup is off)
    trail: ExecutionTrail | None = None

    def release(self) -> None:
        """Drop what the request made once it is recorded. The context and this observation
        point at each other (``context.attributes``); left as they are, every request's
        results (its whole answer) would wait for a full garbage collection, which the
        gateway's collector tuning makes rare (ADR 0850)."""
        context, self.context = self.context, None
        if context is not None:
            context.attributes.pop(OBSERVATION, None)
        self.results.clear()
        self.trail = None


def observation_of(scope: Scope) -> RequestObservation | None:
    """The observation of the request ``scope`` belongs to, if it is observed."""
    state = scope.get("state")
    return state.get(OBSERVATION) if state else None


def observe_context(scope: Scope, context: RequestContext) -> None:
    """Tie ``context`` (principal, transport, operations) to the request's observation."""
    observation = observation_of(scope)
    if observation is not None:
        observation.context = context
        context.attributes[OBSERVATION] = observation
        if observation.trail is not None:
            context.attributes[TRAIL] = observation.trail


def note_results(scope: Scope, results: Iterable[GraphQLResult], *, edge: bool = False) -> None:
    """The results sent for the request; ``edge``: a refusal made before any operation ran
    (its codes count as rejections)."""
    observation = observation_of(scope)
    if observation is None:
        return
    results = list(results)
    observation.results.extend(results)
    if edge:
        observation.edge_codes.extend(error_codes(results))


def note_codes(scope: Scope, codes: Iterable[str]) -> None:
    """Codes of a refusal made outside GraphQL (the ``/jobs`` API's problem documents)."""
    observation = observation_of(scope)
    if observation is not None:
        observation.edge_codes.extend(codes)


def error_codes(results: Iterable[GraphQLResult]) -> list[str]:
    """The distinct ``extensions.code`` values of the results' errors, in order."""
    codes: dict[str, None] = {}
    for result in results:
        for error in result.errors or ():
            extensions = error.get("extensions") if isinstance(error, dict) else None
            code = extensions.get("code") if isinstance(extensions, dict) else None
            if isinstance(code, str):
                codes.setdefault(code, None)
    return list(codes)


def _cost(results: Iterable[GraphQLResult]) -> dict[str, float] | None:
    requested = actual = 0.0
    seen = False
    for result in results:
        cost = (result.extensions or {}).get("cost")
        if isinstance(cost, dict):
            seen = True
            requested += float(cost.get("requested") or 0)
            actual += float(cost.get("actual") or 0)
    return {"requested": requested, "actual": actual} if seen else None


def _header(scope: Scope, names: tuple[str, ...]) -> str | None:
    wanted = {name.encode("latin-1") for name in names}
    for name, value in scope.get("headers", ()):
        if name.lower() in wanted:
            text: str = value.decode("latin-1").strip()
            return text or None
    return None


class RecordSink(Protocol):
    """Keeps a record of each finished request (the request lookup)."""

    def trail(self) -> ExecutionTrail:
        """A new trail for a request about to be served."""
        ...

    def record(self, scope: Scope, observation: RequestObservation, finished: float) -> None:
        """Record the finished request; must not block nor raise."""
        ...


class RequestRecorder:
    """Turns finished observations into metrics, access lines and request records (one per
    app)."""

    def __init__(
        self,
        metrics: GatewayMetrics | None,
        access_log: AccessLog | None,
        listed_clients: Callable[[], Mapping[str, Any]],
        lookup: RecordSink | None = None,
    ) -> None:
        self.metrics = metrics
        self.access_log = access_log
        #: the request lookup's writer (``None``: off)
        self.lookup = lookup
        #: a callable returning the client ids of the clients file (read at each request:
        #: the file is reloaded on change)
        self._listed = listed_clients

    def record(self, scope: Scope, observation: RequestObservation, finished: float) -> None:
        """Record the request's histogram, its edge rejections and its access line."""
        seconds = finished - observation.started
        context = observation.context
        transport = observation.transport
        principal = None
        if context is not None:
            transport = str(context.attributes.get("transport", transport))
            principal = context.principal
        anonymous = principal is None or not principal.is_authenticated
        client_id = principal.client_id if principal is not None else None
        version = _header(scope, _VERSION_HEADERS)
        operations = observation.operations
        metrics = self.metrics
        if metrics is not None:
            listed: Mapping[str, Any] = self._listed()
            metrics.request(
                client=client_label(client_id, anonymous, listed),
                client_version=metrics.version_label(version),
                operation=self._operation_label(metrics, operations),
                transport=transport,
                status=observation.status,
                seconds=seconds,
            )
            for code in dict.fromkeys(observation.edge_codes):
                metrics.rejected(code)
        if self.access_log is not None:
            codes = dict.fromkeys([*observation.edge_codes, *error_codes(observation.results)])
            first = operations[0] if operations else None
            self.access_log.write(
                request_id=context.request_id if context is not None else _request_id(scope),
                trace_id=_state_value(scope, "trace_id"),
                client=client_id if not anonymous else None,
                authenticated=not anonymous,
                client_version=version[:_MAX_NAME] if version else None,
                operation=first.name[:_MAX_NAME] if first and first.name else None,
                document_hash=first.document_hash if first else None,
                batch=len(operations) if len(operations) > 1 else None,
                transport=transport,
                method=str(scope.get("method", "")),
                path=str(scope.get("path", "")),
                status=observation.status,
                duration_ms=round(seconds * 1000, 3),
                cost=_cost(observation.results),
                error_codes=list(codes),
            )
        if self.lookup is not None:
            self.lookup.record(scope, observation, finished)

    @staticmethod
    def _operation_label(metrics: GatewayMetrics, operations: list[OperationNote]) -> str:
        if not operations:
            return "none"
        if len(operations) > 1:
            return "batch"
        note = operations[0]
        if note.name is None:
            return "unnamed"
        return metrics.operation_label(note.name, known=note.trusted)


def _request_id(scope: Scope) -> str | None:
    return _state_value(scope, "request_id")


def _state_value(scope: Scope, name: str) -> str | None:
    """A value the edge middlewares put in the scope's state (correlation id, trace id)."""
    state = scope.get("state") or {}
    value = state.get(name)
    return str(value) if value else None


class ObservedRoute:
    """ASGI wrapper of one route: in-flight gauge, timing, status, then the recorder."""

    def __init__(self, app: ASGIApp, recorder: RequestRecorder, *, transport: str) -> None:
        self.app = app
        self.recorder = recorder
        self.transport = transport

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        observation = RequestObservation(self.transport, time.perf_counter())
        if self.recorder.lookup is not None:
            observation.trail = self.recorder.lookup.trail()
        scope.setdefault("state", {})[OBSERVATION] = observation
        metrics = self.recorder.metrics
        if metrics is not None:
            metrics.inflight.inc()

        async def send_observed(message: Message) -> None:
            if message["type"] == "http.response.start":
                observation.status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        except BaseException:
            if observation.status == _CLIENT_CLOSED:
                observation.status = 500
            raise
        finally:
            if metrics is not None:
                metrics.inflight.dec()
            try:
                self.recorder.record(scope, observation, time.perf_counter())
            finally:
                observation.release()


def observed(app: ASGIApp, recorder: RequestRecorder | None, transport: str) -> ASGIApp:
    """``app`` wrapped in :class:`ObservedRoute` (itself when nothing is recorded)."""
    return app if recorder is None else ObservedRoute(app, recorder, transport=transport)
