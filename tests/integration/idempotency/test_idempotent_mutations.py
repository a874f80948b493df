"""The GraphQL mutation logic of the stage over both stores (the engine is a counting stand-in).

The same behaviour through the real pipeline, HTTP and subgraphs is in
tests/integration/idempotency/test_idempotency_end_to_end.py.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from idempotency_backends import IdempotencyBackend

from gateway.auth.principal import Principal, PrincipalKind
from gateway.engine.types import GraphQLResult, RequestContext
from gateway.idempotency import (
    FORWARDED_KEY_ATTRIBUTE,
    IdempotencySettings,
    MutationIdempotency,
    OperationCall,
    scope_of,
)

ACME = Principal(PrincipalKind.API_KEY, subject="key-1", client_id="acme")
GLOBEX = Principal(PrincipalKind.API_KEY, subject="key-9", client_id="globex")


def create_order(variables: dict[str, Any] | None = None) -> OperationCall:
    return OperationCall(
        is_mutation=True,
        root_fields=frozenset({"createOrder"}),
        document_key="sha-of-create-order",
        operation_name="CreateOrder",
        variables=variables if variables is not None else {"customer": "c1", "sku": "SKU-1"},
    )


def context(key: str | None = "order-42") -> RequestContext:
    headers = {} if key is None else {"idempotency-key": f'"{key}"'}
    return RequestContext(request_id="r1", headers=headers)


class CountingEngine:
    """Stands in for the rest of the pipeline: counts executions, may wait or fail."""

    def __init__(self, result: GraphQLResult | None = None) -> None:
        self.executions = 0
        self.release = asyncio.Event()
        self.release.set()
        self.started = asyncio.Event()
        self.result = result
        self.seen_forwarded: list[object] = []
        self._context: RequestContext | None = None

    def bind(self, context: RequestContext) -> CountingEngine:
        self._context = context
        return self

    async def __call__(self) -> GraphQLResult:
        self.executions += 1
        if self._context is not None:
            self.seen_forwarded.append(self._context.attributes.get(FORWARDED_KEY_ATTRIBUTE))
        self.started.set()
        await self.release.wait()
        if self.result is not None:
            return self.result
        return GraphQLResult(
            data={"createOrder": {"id": f"order-{self.executions}", "total": 1999}},
            extensions={"cost": {"requested": 12, "actual": 12}},
        )


def body(result: GraphQLResult) -> bytes:
    return orjson.dumps(result.to_payload())


async def run(
    stage: MutationIdempotency,
    engine: CountingEngine,
    call: OperationCall | None = None,
    ctx: RequestContext | None = None,
    principal: Principal = ACME,
) -> GraphQLResult:
    ctx = ctx or context()
    return await stage.run(call or create_order(), ctx, principal, engine.bind(ctx))


async def test_a_retry_gets_the_stored_response_byte_for_byte(
    idempotency_backend: IdempotencyBackend,
) -> None:
    stage, engine = idempotency_backend.stage(), CountingEngine()
    first = await run(stage, engine)
    retry = await run(stage, engine)
    assert engine.executions == 1
    assert body(retry) == body(first)
    assert retry.status_code == first.status_code == 200
    assert retry.headers == {"idempotent-replayed": "true", "original-request-id": "r1"}
    assert retry.request_id == "r1"
    assert "idempotent-replayed" not in first.headers


async def test_the_same_key_for_other_variables_is_refused_without_executing(
    idempotency_backend: IdempotencyBackend,
) -> None:
    stage, engine = idempotency_backend.stage(), CountingEngine()
    await run(stage, engine)
    other = await run(stage, engine, create_order({"customer": "c1", "sku": "SKU-2"}))
    assert engine.executions == 1
    assert other.status_code == 422
    assert other.errors is not None
    assert other.errors[0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_twenty_concurrent_requests_with_one_key_execute_once(
    idempotency_backend: IdempotencyBackend,
) -> None:
    stages = [idempotency_backend.stage(replica=index % 2) for index in range(20)]
    engine = CountingEngine()
    engine.release.clear()
    first = asyncio.create_task(run(stages[0], engine))
    await engine.started.wait()
    concurrent = [asyncio.create_task(run(stage, engine)) for stage in stages[1:]]
    refused = await asyncio.gather(*concurrent)
    engine.release.set()
    winner = await first
    assert engine.executions == 1
    assert winner.status_code == 200
    for result in refused:
        assert result.status_code == 409
        assert result.headers == {"retry-after": "1"}
        assert result.errors is not None
        assert result.errors[0]["extensions"]["code"] == "IDEMPOTENCY_KEY_IN_FLIGHT"
    replays = await asyncio.gather(*(run(stage, engine) for stage in stages))
    assert engine.executions == 1
    assert {body(result) for result in replays} == {body(winner)}


async def test_two_clients_choosing_the_same_key_do_not_collide(
    idempotency_backend: IdempotencyBackend,
) -> None:
    stage, engine = idempotency_backend.stage(), CountingEngine()
    acme = await run(stage, engine, principal=ACME)
    globex = await run(stage, engine, principal=GLOBEX)
    assert engine.executions == 2
    assert body(acme) != body(globex)
    assert "idempotent-replayed" not in globex.headers
    alice = Principal(PrincipalKind.JWT, subject="alice", issuer="idp", client_id="acme")
    await run(stage, engine, principal=alice)
    assert engine.executions == 3
    assert scope_of(alice).digest("order-42") != scope_of(ACME).digest("order-42")


async def test_a_key_expires_after_the_retention(idempotency_backend: IdempotencyBackend) -> None:
    settings = IdempotencySettings(retention_seconds=600)
    stage, engine = idempotency_backend.stage(settings), CountingEngine()
    await run(stage, engine)
    digest = scope_of(ACME).digest("order-42")
    await idempotency_backend.let_pass(digest, 599)
    assert "idempotent-replayed" in (await run(stage, engine)).headers
    await idempotency_backend.let_pass(digest, 2)
    fresh = await run(stage, engine)
    assert engine.executions == 2
    assert "idempotent-replayed" not in fresh.headers


async def test_refusals_before_execution_are_not_stored(
    idempotency_backend: IdempotencyBackend,
) -> None:
    stage = idempotency_backend.stage()
    limited = CountingEngine(
        GraphQLResult(
            errors=[{"message": "Rate limited", "extensions": {"code": "RATE_LIMITED"}}],
            status_code=429,
            headers={"retry-after": "3"},
        )
    )
    refused = await run(stage, limited)
    assert refused.status_code == 429
    engine = CountingEngine()
    executed = await run(stage, engine)
    assert (engine.executions, executed.status_code) == (1, 200)


async def test_domain_errors_are_stored_and_replayed(
    idempotency_backend: IdempotencyBackend,
) -> None:
    declined = GraphQLResult(
        data=None,
        errors=[{"message": "declined", "extensions": {"code": "PAYMENT_DECLINED"}}],
    )
    stage, engine = idempotency_backend.stage(), CountingEngine(declined)
    first = await run(stage, engine)
    retry = await run(stage, engine)
    assert engine.executions == 1
    assert body(retry) == body(first)
    assert retry.headers["idempotent-replayed"] == "true"


def subgraph_down() -> GraphQLResult:
    error = {
        "message": "Could not fetch from subgraph orders",
        "path": ["createOrder"],
        "extensions": {"code": "SUBREQUEST_HTTP_ERROR", "serviceName": "orders"},
    }
    return GraphQLResult(data=None, errors=[error])


async def test_a_subgraph_failure_is_released_by_default_so_the_retry_executes(
    idempotency_backend: IdempotencyBackend,
) -> None:
    stage = idempotency_backend.stage()
    failing = CountingEngine(subgraph_down())
    assert (await run(stage, failing)).errors is not None
    engine = CountingEngine()
    retried = await run(stage, engine)
    assert engine.executions == 1
    assert retried.data is not None
    assert "idempotent-replayed" not in retried.headers


async def test_a_subgraph_failure_is_replayed_when_the_policy_says_store(
    idempotency_backend: IdempotencyBackend,
) -> None:
    stage = idempotency_backend.stage(IdempotencySettings(on_subgraph_failure="store"))
    failing = CountingEngine(subgraph_down())
    first = await run(stage, failing)
    engine = CountingEngine()
    retried = await run(stage, engine)
    assert engine.executions == 0
    assert body(retried) == body(first)


async def test_an_exception_releases_the_key(idempotency_backend: IdempotencyBackend) -> None:
    stage = idempotency_backend.stage()

    async def broken() -> GraphQLResult:
        raise RuntimeError("engine bug")

    ctx = context()
    with pytest.raises(RuntimeError):
        await stage.run(create_order(), ctx, ACME, broken)
    engine = CountingEngine()
    assert (await run(stage, engine)).status_code == 200
    assert engine.executions == 1


async def test_missing_and_invalid_keys(idempotency_backend: IdempotencyBackend) -> None:
    required = IdempotencySettings(required_mutations=frozenset({"createOrder"}))
    stage, engine = idempotency_backend.stage(required), CountingEngine()
    missing = await run(stage, engine, ctx=context(None))
    assert missing.status_code == 400
    assert missing.errors is not None
    assert missing.errors[0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REQUIRED"
    too_long = await run(stage, engine, ctx=context("k" * 256))
    assert too_long.status_code == 400
    assert too_long.errors is not None
    assert too_long.errors[0]["extensions"]["code"] == "IDEMPOTENCY_KEY_INVALID"
    assert engine.executions == 0
    by_client = idempotency_backend.stage(IdempotencySettings(required_clients=frozenset({"acme"})))
    assert (await run(by_client, engine, ctx=context(None))).status_code == 400
    assert (await run(by_client, engine, ctx=context(None), principal=GLOBEX)).status_code == 200
    optional = idempotency_backend.stage()
    assert (await run(optional, engine, ctx=context(None))).status_code == 200
    assert (await run(optional, engine, ctx=context(None))).status_code == 200
    assert engine.executions == 3


async def test_queries_pass_through_and_keys_are_forwarded_only_while_running(
    idempotency_backend: IdempotencyBackend,
) -> None:
    stage, engine = idempotency_backend.stage(), CountingEngine()
    query = OperationCall(False, frozenset({"order"}), "q", "Order", {"id": "1"})
    await run(stage, engine, query)
    await run(stage, engine, query)
    assert engine.executions == 2
    assert engine.seen_forwarded == [None, None]
    ctx = context()
    await run(stage, engine, ctx=ctx)
    assert engine.seen_forwarded[-1] == scope_of(ACME).digest("order-42")
    assert FORWARDED_KEY_ATTRIBUTE not in ctx.attributes
