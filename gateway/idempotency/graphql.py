"""Idempotency for GraphQL mutations: the logic of the pipeline's idempotency stage.

Per operation: a query passes through untouched (it is idempotent already). A mutation without
an ``Idempotency-Key`` passes through unless the settings require one (its root field or its
client is named: 400 ``IDEMPOTENCY_KEY_REQUIRED``). With a key, the key is claimed in the scope
(client, principal); the operation runs; and its response is stored when it executed:

- status 200 results are stored, including domain errors (``PAYMENT_DECLINED``...): a retry
  gets the same answer, as with Stripe;
- refusals before execution (cost and rate limits, HTTP 4xx) are not stored: the client may fix
  the request, or wait, and retry with the same key; validation failures never reach the stage;
- a subgraph failure (transport error, timeout, ``INTERNAL_SERVER_ERROR``) follows
  ``on_subgraph_failure``: ``release`` (default) stores nothing, so the retry executes again and
  the subgraphs' own key tables return what they already did; ``store`` replays the failure.

While the operation runs, :data:`FORWARDED_KEY_ATTRIBUTE` holds the key the subgraphs receive
as their ``Idempotency-Key`` (see :func:`forwarded_key`): the scope digest, never the raw key,
so two clients' keys cannot meet in a subgraph either.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import structlog

from gateway.auth.principal import Principal
from gateway.engine.types import GraphQLResult, RequestContext
from gateway.idempotency.errors import IdempotencyError, IdempotencyErrorCode
from gateway.idempotency.faults import FaultPoint, active_faults, crash
from gateway.idempotency.fingerprint import operation_fingerprint
from gateway.idempotency.guard import REPLAYED_HEADER, IdempotencyGuard, Replay
from gateway.idempotency.keys import IDEMPOTENCY_KEY_HEADER, KeyScope, parse_idempotency_key
from gateway.idempotency.records import StoredResponse
from gateway.idempotency.settings import IdempotencySettings

__all__ = [
    "FORWARDED_KEY_ATTRIBUTE",
    "ORIGINAL_REQUEST_HEADER",
    "MutationIdempotency",
    "OperationCall",
    "forwarded_key",
    "scope_of",
]

#: ``RequestContext.attributes`` entry holding the key forwarded to subgraphs
FORWARDED_KEY_ATTRIBUTE = "idempotency.forwarded_key"
#: response header of a replay naming the request that produced the response (Stripe:
#: ``Original-Request``); the replayed errors keep that id in ``extensions.requestId``
ORIGINAL_REQUEST_HEADER = "original-request-id"

_log = structlog.get_logger(__name__)

Execute = Callable[[], Awaitable[GraphQLResult]]


@dataclass(frozen=True, slots=True)
class OperationCall:
    """What the stage needs to know about one operation."""

    is_mutation: bool
    #: names of the operation's root fields (``createOrder``...)
    root_fields: frozenset[str]
    #: the resolved document's key (SHA-256 of its text)
    document_key: str
    operation_name: str | None
    variables: Mapping[str, Any] | None


def scope_of(principal: Principal) -> KeyScope:
    """The key scope of a caller: its client id and identity."""
    return KeyScope(principal.client_id, principal.issuer, principal.subject)


def forwarded_key(context: RequestContext) -> str | None:
    """The ``Idempotency-Key`` for the subgraph fetches of this request, if any."""
    value = context.attributes.get(FORWARDED_KEY_ATTRIBUTE)
    return value if isinstance(value, str) else None


def _stored(result: GraphQLResult, request_id: str) -> StoredResponse:
    headers = {ORIGINAL_REQUEST_HEADER: request_id} if request_id else {}
    return StoredResponse(result.status_code, orjson.dumps(result.to_payload()), headers)


def _replayed(response: StoredResponse) -> GraphQLResult:
    """The stored response again; its errors keep the original request's correlation id."""
    payload = orjson.loads(response.body)
    return GraphQLResult(
        data=payload.get("data"),
        errors=payload.get("errors"),
        extensions=payload.get("extensions"),
        status_code=response.status,
        headers={**response.headers, REPLAYED_HEADER: "true"},
        request_id=response.headers.get(ORIGINAL_REQUEST_HEADER),
    )


class MutationIdempotency:
    """Runs mutations at most once per (client, principal, key); see the module docstring."""

    def __init__(
        self,
        guard: IdempotencyGuard,
        settings: IdempotencySettings,
        *,
        faults: frozenset[FaultPoint] | None = None,
    ) -> None:
        self.guard = guard
        self.settings = settings
        self._exit_before_store = FaultPoint.IDEMPOTENCY_EXIT_BEFORE_STORE in (
            active_faults() if faults is None else faults
        )

    def _required(self, call: OperationCall, principal: Principal) -> bool:
        settings = self.settings
        return principal.client_id in settings.required_clients or bool(
            call.root_fields & settings.required_mutations
        )

    def _failed_in_a_subgraph(self, result: GraphQLResult) -> bool:
        codes = self.settings.transient_error_codes
        return any(
            (error.get("extensions") or {}).get("code") in codes for error in result.errors or ()
        )

    def _keeps(self, result: GraphQLResult) -> bool:
        if result.status_code != 200:
            return False
        return self.settings.on_subgraph_failure == "store" or not self._failed_in_a_subgraph(
            result
        )

    async def run(
        self, call: OperationCall, context: RequestContext, principal: Principal, execute: Execute
    ) -> GraphQLResult:
        """Execute ``call`` under its key (or refuse, or replay); never raises for the client."""
        if not self.settings.enabled or not call.is_mutation:
            return await execute()
        try:
            key = parse_idempotency_key(context.headers.get(IDEMPOTENCY_KEY_HEADER))
            if key is None:
                if self._required(call, principal):
                    raise IdempotencyError(
                        IdempotencyErrorCode.IDEMPOTENCY_KEY_REQUIRED,
                        "This mutation requires an Idempotency-Key header",
                    )
                return await execute()
            digest = scope_of(principal).digest(key)
            fingerprint = operation_fingerprint(
                call.document_key, call.operation_name, call.variables
            )
            outcome = await self.guard.claim(digest, fingerprint)
        except IdempotencyError as error:
            return error.to_result()
        if isinstance(outcome, Replay):
            _log.info("idempotent replay", operation=call.operation_name)
            return _replayed(outcome.response)
        if self.settings.forward_to_subgraphs:
            context.attributes[FORWARDED_KEY_ATTRIBUTE] = digest
        try:
            result = await execute()
        except BaseException:
            await outcome.release()
            raise
        finally:
            context.attributes.pop(FORWARDED_KEY_ATTRIBUTE, None)
        if not self._keeps(result):
            await outcome.release()
            return result
        if self._exit_before_store:
            crash(FaultPoint.IDEMPOTENCY_EXIT_BEFORE_STORE)
        await outcome.complete(_stored(result, context.request_id))
        return result
