"""Which failures are retried and counted, on a scripted transport and a fake clock (the real
HTTP behaviour is in tests/integration/execution/test_subgraph_faults.py)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from fake_clock import FakeClock

from gateway.execution.breaker import CircuitState
from gateway.execution.resilience import Resilience
from gateway.execution.settings import CircuitBreakerSettings, RetrySettings
from gateway.execution.transport import SubgraphFailure


class Failing:
    """A transport whose every call fails with ``failure``."""

    def __init__(self, failure: SubgraphFailure) -> None:
        self.failure = failure
        self.calls = 0

    async def send(
        self, service: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> bytes:
        self.calls += 1
        raise self.failure

    async def aclose(self) -> None:
        return None


def _resilience(transport: Failing, threshold: int = 100, attempts: int = 5) -> Resilience:
    return Resilience(
        transport,
        timeout_seconds=10,
        retry=RetrySettings(
            max_attempts=attempts, backoff_base_seconds=0.001, backoff_max_seconds=0.001
        ),
        breaker=CircuitBreakerSettings(failure_threshold=threshold),
        clock=FakeClock(),
        draw=lambda: 0.0,
    )


UNAVAILABLE = SubgraphFailure("s", "SUBREQUEST_HTTP_ERROR", "HTTP 503", retryable=True, status=503)


async def test_retries_stop_when_the_circuit_opens_meanwhile() -> None:
    transport = Failing(UNAVAILABLE)
    resilience = _resilience(transport, threshold=2)
    with pytest.raises(SubgraphFailure) as raised:
        await resilience.send("s", b"{}", None, retry=True)
    assert raised.value is UNAVAILABLE  # the last real failure, not a circuit refusal
    assert transport.calls == 2
    health = resilience.health("s")
    assert health.breaker is not None and health.breaker.state is CircuitState.OPEN
    assert health.retries == 1


async def test_only_retryable_failures_are_retried() -> None:
    broken = SubgraphFailure("s", "SUBREQUEST_HTTP_ERROR", "HTTP 500", status=500)
    transport = Failing(broken)
    resilience = _resilience(transport)
    with pytest.raises(SubgraphFailure):
        await resilience.send("s", b"{}", None, retry=True)
    assert transport.calls == 1
    breaker = resilience.health("s").breaker
    assert breaker is not None and breaker.failures == 1  # a 5xx still says "unhealthy"


async def test_client_side_failures_do_not_count_against_the_subgraph() -> None:
    transport = Failing(SubgraphFailure("s", "SUBREQUEST_HTTP_ERROR", "HTTP 404", status=404))
    resilience = _resilience(transport, threshold=1)
    for _ in range(3):
        with pytest.raises(SubgraphFailure):
            await resilience.send("s", b"{}", None, retry=True)
    assert transport.calls == 3
    breaker = resilience.health("s").breaker
    assert breaker is not None and breaker.state is CircuitState.CLOSED


async def test_calls_that_may_not_be_retried_are_sent_once() -> None:
    transport = Failing(UNAVAILABLE)
    resilience = _resilience(transport)
    with pytest.raises(SubgraphFailure):
        await resilience.send("s", b"{}", None, retry=False)
    assert transport.calls == 1
    assert resilience.health("s").retries == 0


async def test_max_attempts_bound_the_calls() -> None:
    transport = Failing(UNAVAILABLE)
    resilience = _resilience(transport, attempts=4)
    with pytest.raises(SubgraphFailure):
        await resilience.send("s", b"{}", None, retry=True)
    assert transport.calls == 4
