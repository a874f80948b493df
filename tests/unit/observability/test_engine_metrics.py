"""The engine's metrics on a real registry: subgraph fetches by outcome, retries and circuit
states, from the resilience layer over a scripted transport and a fake clock."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from fake_clock import FakeClock
from metrics_scrape import Scrape, parse
from prometheus_client import CollectorRegistry, generate_latest

from gateway.execution.breaker import CircuitBreaker
from gateway.execution.observer import fetch_status
from gateway.execution.resilience import Resilience
from gateway.execution.settings import CircuitBreakerSettings, RetrySettings
from gateway.execution.transport import SubgraphFailure
from gateway.observability.metrics import GatewayMetrics, status_class
from gateway.observability.settings import MetricsSettings

FETCHES = "ordergate_gateway_subgraph_fetch_duration_seconds_count"
UNAVAILABLE = SubgraphFailure("s", "SUBREQUEST_HTTP_ERROR", "HTTP 503", retryable=True, status=503)


class Scripted:
    """A transport answering from a script: ``bytes`` answers, a failure is raised."""

    def __init__(self, *script: bytes | SubgraphFailure) -> None:
        self.script = list(script)

    async def send(
        self, service: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> bytes:
        step = self.script.pop(0)
        if isinstance(step, SubgraphFailure):
            raise step
        return step

    async def aclose(self) -> None:
        return None


def _metrics() -> GatewayMetrics:
    return GatewayMetrics(MetricsSettings(), CollectorRegistry(auto_describe=True))


def _scrape(metrics: GatewayMetrics) -> Scrape:
    return parse(generate_latest(metrics.registry).decode())


def _resilience(transport: Scripted, clock: FakeClock, metrics: GatewayMetrics) -> Resilience:
    return Resilience(
        transport,
        timeout_seconds=10,
        retry=RetrySettings(max_attempts=3, backoff_base_seconds=0.001, backoff_max_seconds=0.001),
        breaker=CircuitBreakerSettings(failure_threshold=2, open_seconds=5),
        clock=clock,
        draw=lambda: 0.0,
        observer=metrics,
    )


@pytest.mark.parametrize(
    ("code", "status", "label"),
    [
        ("SUBGRAPH_CIRCUIT_OPEN", 0, "circuit_open"),
        ("SUBREQUEST_TIMEOUT", 0, "timeout"),
        ("SUBREQUEST_HTTP_ERROR", 503, "http_5xx"),
        ("SUBREQUEST_HTTP_ERROR", 404, "http_4xx"),
        ("SUBREQUEST_HTTP_ERROR", 0, "connection_error"),
    ],
)
def test_fetch_failures_are_labelled_by_outcome(code: str, status: int, label: str) -> None:
    assert fetch_status(code, status) == label


def test_status_classes() -> None:
    assert [status_class(s) for s in (200, 204, 304, 401, 429, 503, 99)] == [
        "2xx",
        "2xx",
        "3xx",
        "4xx",
        "4xx",
        "5xx",
        "1xx",
    ]


async def test_a_retried_fetch_is_one_observation_and_one_retry() -> None:
    metrics = _metrics()
    resilience = _resilience(Scripted(UNAVAILABLE, b'{"data": {}}'), FakeClock(), metrics)
    assert await resilience.send("s", b"{}", None, retry=True) == b'{"data": {}}'
    scraped = _scrape(metrics)
    assert scraped.value(FETCHES, subgraph="s", status="ok") == 1
    assert scraped.value(FETCHES) == 1
    assert scraped.value("ordergate_gateway_subgraph_retries_total", subgraph="s") == 1
    # one failure, then a success: the circuit never opened and no state was reported
    assert scraped.series("ordergate_gateway_subgraph_circuit_state") == []


async def test_the_circuit_state_follows_the_breaker() -> None:
    clock = FakeClock()
    metrics = _metrics()
    transport = Scripted(UNAVAILABLE, UNAVAILABLE, b'{"data": {}}')
    resilience = _resilience(transport, clock, metrics)
    state = "ordergate_gateway_subgraph_circuit_state"
    with pytest.raises(SubgraphFailure):
        await resilience.send("s", b"{}", None, retry=True)
    assert _scrape(metrics).value(state, subgraph="s") == 2  # open after two failures
    with pytest.raises(SubgraphFailure):
        await resilience.send("s", b"{}", None, retry=False)
    assert _scrape(metrics).value(FETCHES, subgraph="s", status="circuit_open") == 1
    clock.advance(5)
    assert await resilience.send("s", b"{}", None, retry=False) == b'{"data": {}}'
    scraped = _scrape(metrics)
    assert scraped.value(state, subgraph="s") == 0  # the probe succeeded: closed again
    assert scraped.value(FETCHES, subgraph="s", status="http_5xx") == 1
    assert scraped.value(FETCHES, subgraph="s", status="ok") == 1


def test_a_half_open_circuit_is_one() -> None:
    clock = FakeClock()
    metrics = _metrics()
    breaker = CircuitBreaker(
        "s", failure_threshold=1, open_seconds=5, clock=clock, listener=metrics.circuit_changed
    )
    breaker.failure()
    clock.advance(5)
    assert breaker.allow()
    assert _scrape(metrics).value("ordergate_gateway_subgraph_circuit_state", subgraph="s") == 1
