"""Inbound request deduplication (``http.deduplicate_inflight``, off by default; docs/adr/0852).

Identical query operations in flight at the same time share one execution and one serialized
body, like Hive Gateway's ``inboundInflightRequestDeduplication`` and Apollo Router's query
deduplication. Everything before the execution still runs per request (correlation id, CSRF,
authentication, persisted documents, validation, authorization, cost and budgets), and so does
everything after it (cost settlement, ``RateLimit`` headers, error scrubbing, the response).

The key (:func:`inflight_key`) holds everything that can change the answer: the supergraph,
the document hash and operation name, the plan variant (conditions, override labels,
authorization pruning), the coerced variables, the caller (principal and client id), the
authorization outcome and the headers forwarded to subgraphs that can change their answers.
Mutations and subscriptions are never shared.

The execution runs in its own task: a caller that goes away (its request task cancelled) does
not cancel the work of the others; the last one to leave cancels it. A failure of the execution
reaches every caller the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

import orjson
from graphql import OperationType

from gateway.engine.types import GraphQLResult, SharedBody
from gateway.execution.headers import FetchHeaders
from gateway.pipeline.stages import Operation

__all__ = ["InflightExecutions", "inflight_key"]

_KEY_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def inflight_key(
    supergraph: str, operation: Operation, variant: object, headers: FetchHeaders | None
) -> Hashable | None:
    """What two operations must share to share an execution; ``None``: never share this one."""
    prepared = operation.prepared
    if prepared.kind is not OperationType.QUERY:
        return None
    try:
        variables = orjson.dumps(operation.variables, option=_KEY_OPTIONS)
    except TypeError:  # a value orjson cannot encode: no canonical form, no sharing
        return None
    authorization = operation.authorization
    return (
        supergraph,
        operation.document.key,
        operation.request.operation_name,
        id(variant),  # alive as long as an execution using it is, so its id is not reused
        variables,
        operation.context.principal,
        operation.client_id,
        None if authorization is None else authorization.key,
        () if headers is None else headers.identity,
    )


@dataclass(eq=False, slots=True)
class _Execution:
    task: asyncio.Task[GraphQLResult]
    #: the correlation id of the request that started it: the id on every shared error
    request_id: str
    callers: int = 0
    shared: SharedBody | None = None


class InflightExecutions:
    """The executions in flight of one supergraph's pipeline, by :func:`inflight_key`."""

    def __init__(self) -> None:
        self._running: dict[Hashable, _Execution] = {}
        #: executions started, and requests that joined one already running
        self.started = 0
        self.joined = 0

    @property
    def in_flight(self) -> int:
        """Executions running now."""
        return len(self._running)

    async def run(
        self, key: Hashable, request_id: str, execute: Callable[[], Awaitable[GraphQLResult]]
    ) -> GraphQLResult:
        """``execute()``'s result, shared with every caller of the same key meanwhile.

        Each caller gets its own copy of the result (headers and extensions may be changed by
        later stages), all with the starting request's correlation id.
        """
        execution = self._running.get(key)
        if execution is None:
            execution = _Execution(asyncio.ensure_future(execute()), request_id)
            self._running[key] = execution
            execution.task.add_done_callback(lambda _: self._forget(key, execution))
            self.started += 1
        else:
            self.joined += 1
        execution.callers += 1
        try:
            result = await asyncio.shield(execution.task)
        except asyncio.CancelledError:
            if not execution.task.done():
                self._leave(key, execution)
            raise
        finally:
            execution.callers -= 1
        return self._copy(execution, result)

    def _leave(self, key: Hashable, execution: _Execution) -> None:
        """A caller went away: cancel the execution once nobody waits for it any more."""
        if execution.callers <= 1:
            self._forget(key, execution)
            execution.task.cancel()

    def _forget(self, key: Hashable, execution: _Execution) -> None:
        if self._running.get(key) is execution:
            del self._running[key]

    @staticmethod
    def _copy(execution: _Execution, result: GraphQLResult) -> GraphQLResult:
        request_id = result.request_id or execution.request_id
        shared = execution.shared
        if shared is None:
            shared = execution.shared = SharedBody(
                result.data, result.errors, result.extensions, result.status_code, request_id
            )
        return GraphQLResult(
            data=result.data,
            errors=result.errors,
            extensions=None if result.extensions is None else dict(result.extensions),
            status_code=result.status_code,
            headers=dict(result.headers),
            request_id=request_id,
            shared_body=shared,
        )
