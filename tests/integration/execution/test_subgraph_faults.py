"""Resilience to subgraph faults over real HTTP (ADR 0207, ADR 0208).

The ``ledger`` and ``notes`` subgraphs run behind :class:`FaultyFront`, a real HTTP server that
answers 502/503/504, drops connections or never answers as scripted and counts what reached
it. The circuit breakers' clock is a :class:`FakeClock` the test moves, so no test sleeps for
a cool-down and nothing is asserted about time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from fake_clock import FakeClock
from faulty_subgraphs import FaultyDeployment, faulty_deployment

from gateway.engine.core import Engine, EngineOptions, build_engine
from gateway.engine.types import GraphQLRequest, GraphQLResult, RequestContext
from gateway.execution.breaker import CircuitState
from gateway.execution.resilience import Resilience
from gateway.execution.settings import CircuitBreakerSettings, RetrySettings
from gateway.pipeline import SupergraphPipeline

TRANSPORTS = ["aiohttp", "lean"]
BOTH = "{ note(id: 1) { text } entry(id: 2) { amount } }"
#: fast backoff: the tests are about counts, not pauses
QUICK = {"backoff_base_seconds": 0.001, "backoff_max_seconds": 0.002}


@pytest_asyncio.fixture
async def deployment() -> AsyncIterator[FaultyDeployment]:
    async with faulty_deployment() as running:
        yield running


def _engine(
    deployment: FaultyDeployment,
    transport: str,
    *,
    clock: FakeClock | None = None,
    draw: Any = None,
    **options: Any,
) -> Engine:
    engine = build_engine(
        deployment.supergraph,
        EngineOptions(subgraph_transport=transport, dedupe_inflight=False, **options),  # type: ignore[arg-type]
    )
    if clock is not None or draw is not None:  # the same settings, a clock and draws we choose
        extra: dict[str, Any] = {}
        if clock is not None:
            extra["clock"] = clock
        if draw is not None:
            extra["draw"] = draw
        engine.executor.resilience = Resilience(
            engine.transport,
            timeout_seconds=engine.options.subgraph_timeout,
            retry=engine.options.subgraph_retry,
            breaker=engine.options.circuit_breaker,
            **extra,
        )
    return engine


def _resilience(engine: Engine) -> Resilience:
    resilience = engine.executor.resilience
    assert resilience is not None
    return resilience


async def _run(engine: Engine, query: str, request_id: str = "r") -> GraphQLResult:
    return await SupergraphPipeline(engine).execute(
        GraphQLRequest(query=query), RequestContext(request_id)
    )


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("faults", [["503", "503"], ["drop", "502"], ["504"]])
async def test_a_query_succeeds_after_transient_failures(
    deployment: FaultyDeployment, transport: str, faults: list[Any]
) -> None:
    ledger = deployment.fronts["ledger"]
    for fault in faults:
        ledger.fail_next(1, fault)
    engine = _engine(deployment, transport, subgraph_retry=RetrySettings(**QUICK))
    try:
        result = await _run(engine, BOTH)
    finally:
        await engine.aclose()
    assert result.errors is None
    assert result.data == {"note": {"text": "note 1"}, "entry": {"amount": 20}}
    assert ledger.queries == len(faults) + 1  # every attempt reached the subgraph
    assert _resilience(engine).health("ledger").retries == len(faults)


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_mutation_is_never_retried(deployment: FaultyDeployment, transport: str) -> None:
    ledger = deployment.fronts["ledger"]
    ledger.fail_next(1, "503")
    engine = _engine(deployment, transport, subgraph_retry=RetrySettings(**QUICK))
    try:
        result = await _run(engine, "mutation { post(amount: 4) { id amount } }")
    finally:
        await engine.aclose()
    assert ledger.mutations == 1  # exactly one call
    assert result.errors is not None
    assert result.errors[0]["extensions"] == {
        "code": "SUBREQUEST_HTTP_ERROR",
        "serviceName": "ledger",
    }
    assert _resilience(engine).health("ledger").retries == 0


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_no_fetch_of_a_mutation_plan_is_retried(
    deployment: FaultyDeployment, transport: str
) -> None:
    notes = deployment.fronts["notes"]
    engine = _engine(deployment, transport, subgraph_retry=RetrySettings(**QUICK))
    try:
        notes.fail_next(1, "503")
        mutation = await _run(engine, "mutation { post(amount: 4) { id note } }")
        calls_for_the_mutation = notes.queries
        notes.fail_next(1, "503")
        query = await _run(engine, '{ entry(id: "4") { id note } }')
    finally:
        await engine.aclose()
    # the entity fetch after the mutation is a read, but it is part of a mutation's plan
    assert calls_for_the_mutation == 1
    assert mutation.data == {"post": {"id": "4", "note": None}}
    assert mutation.errors is not None
    assert mutation.errors[0]["extensions"]["serviceName"] == "notes"
    # the same entity fetch in a query's plan is retried
    assert notes.queries == 1 + 2
    assert query.errors is None
    assert query.data == {"entry": {"id": "4", "note": "note on entry 4"}}


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_retries_stop_at_the_budget(deployment: FaultyDeployment, transport: str) -> None:
    ledger = deployment.fronts["ledger"]
    ledger.always = "503"
    retry = RetrySettings(
        max_attempts=3, budget_ratio=0.2, budget_burst=2, budget_min_per_second=0, **QUICK
    )
    engine = _engine(
        deployment,
        transport,
        subgraph_retry=retry,
        circuit_breaker=CircuitBreakerSettings(enabled=False),
    )
    health = _resilience(engine).health("ledger")
    try:
        await _run(engine, "{ entry(id: 1) { amount } }")
        assert ledger.queries == 3  # the saved-up budget pays two retries
        await _run(engine, "{ entry(id: 1) { amount } }")
        assert ledger.queries == 4  # then the budget is spent: no retry
        assert health.retries_refused == 1
        for _ in range(18):
            await _run(engine, "{ entry(id: 1) { amount } }")
    finally:
        await engine.aclose()
    requests = 20
    # retries stay within the burst plus 20 % of the fetches, and each one reached the subgraph
    assert health.retries <= 2 + 0.2 * requests
    assert ledger.queries == requests + health.retries
    assert health.retries_refused > 0


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_no_retry_goes_past_the_fetch_deadline(
    deployment: FaultyDeployment, transport: str
) -> None:
    ledger = deployment.fronts["ledger"]
    ledger.fail_next(1, "503")
    # the backoff drawn (2 s) would end after the fetch's deadline (the 1 s subgraph timeout)
    engine = _engine(
        deployment,
        transport,
        draw=lambda: 1.0,
        subgraph_timeout=1.0,
        subgraph_retry=RetrySettings(backoff_base_seconds=2.0, backoff_max_seconds=2.0),
    )
    try:
        result = await _run(engine, "{ entry(id: 1) { amount } }")
    finally:
        await engine.aclose()
    assert ledger.queries == 1
    assert result.errors is not None
    assert result.errors[0]["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"
    assert _resilience(engine).health("ledger").retries == 0


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_the_circuit_opens_fails_fast_probes_and_closes(
    deployment: FaultyDeployment, transport: str
) -> None:
    ledger, notes = deployment.fronts["ledger"], deployment.fronts["notes"]
    clock = FakeClock()
    engine = _engine(
        deployment,
        transport,
        clock=clock,
        subgraph_retry=RetrySettings(enabled=False),
        circuit_breaker=CircuitBreakerSettings(failure_threshold=3, open_seconds=30),
    )
    health = _resilience(engine).health("ledger")
    breaker = health.breaker
    assert breaker is not None
    try:
        ledger.always = "drop"
        for _ in range(3):
            failed = await _run(engine, BOTH)
            assert failed.errors is not None
            assert failed.errors[0]["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"
        assert breaker.state is CircuitState.OPEN
        assert ledger.queries == 3

        # open: the ledger is not called, the notes still answer
        ledger.always = None
        fast = await _run(engine, BOTH, "req-open")
        assert ledger.queries == 3
        assert fast.data == {"note": {"text": "note 1"}, "entry": None}
        assert fast.errors is not None
        [error] = fast.errors
        assert error["extensions"] == {"code": "SUBGRAPH_CIRCUIT_OPEN", "serviceName": "ledger"}
        assert error["message"].startswith("Subgraph ledger is unavailable")
        assert health.rejected == 1

        # the cool-down passes while the ledger is still down: the probe fails, open again
        ledger.always = "503"
        clock.advance(30)
        await _run(engine, BOTH)
        assert ledger.queries == 4
        assert breaker.state is CircuitState.OPEN
        await _run(engine, BOTH)
        assert ledger.queries == 4

        # it recovers: after the next cool-down one probe goes through and closes the circuit
        ledger.always = None
        clock.advance(30)
        healed = await _run(engine, BOTH)
        assert healed.errors is None
        assert healed.data == {"note": {"text": "note 1"}, "entry": {"amount": 20}}
        assert breaker.state is CircuitState.CLOSED
        for _ in range(3):
            assert (await _run(engine, BOTH)).errors is None
        assert ledger.queries == 4 + 1 + 3
        assert notes.queries == 3 + 1 + 2 + 1 + 3
    finally:
        await engine.aclose()


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_timed_out_subgraph_opens_its_circuit(
    deployment: FaultyDeployment, transport: str
) -> None:
    ledger = deployment.fronts["ledger"]
    ledger.always = "hang"
    engine = _engine(
        deployment,
        transport,
        clock=FakeClock(),
        subgraph_timeout=1.0,  # generous: the other subgraph must answer within it under load
        circuit_breaker=CircuitBreakerSettings(failure_threshold=2),
    )
    try:
        for _ in range(2):
            result = await _run(engine, BOTH)
            assert result.errors is not None
            assert result.errors[0]["extensions"]["code"] == "SUBREQUEST_TIMEOUT"
        result = await _run(engine, BOTH)
    finally:
        await engine.aclose()
    assert ledger.queries == 2  # timeouts are not retried; the third call failed fast
    assert result.errors is not None
    assert result.errors[0]["extensions"]["code"] == "SUBGRAPH_CIRCUIT_OPEN"
    assert result.data == {"note": {"text": "note 1"}, "entry": None}


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_shared_inflight_call_is_retried_once_for_all(
    deployment: FaultyDeployment, transport: str
) -> None:
    ledger = deployment.fronts["ledger"]
    ledger.fail_next(1, "503")
    engine = build_engine(
        deployment.supergraph,
        EngineOptions(
            subgraph_transport=transport,  # type: ignore[arg-type]
            dedupe_inflight=True,
            subgraph_retry=RetrySettings(**QUICK),
        ),
    )
    try:
        results = await asyncio.gather(
            *(_run(engine, "{ entry(id: 3) { amount } }", f"r{i}") for i in range(5))
        )
    finally:
        await engine.aclose()
    # the five identical queries shared one call, and that call was retried once
    assert ledger.queries == 2
    assert _resilience(engine).health("ledger").retries == 1
    for result in results:
        assert result.errors is None
        assert result.data == {"entry": {"amount": 30}}
