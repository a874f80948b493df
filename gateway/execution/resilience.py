"""Subgraph calls that survive transient faults: retries, a retry budget, circuit breakers.

The executor sends every subgraph call through :meth:`Resilience.send`, under the in-flight
deduplication (a shared call is retried once for all who wait for it) and over either
transport. Per subgraph:

- a :class:`~gateway.execution.breaker.CircuitBreaker` fails calls fast while the subgraph is
  down (``SUBGRAPH_CIRCUIT_OPEN``), then lets one probe through (ADR 0208);
- a query call (``retry=True``; never a mutation, nor any fetch of a mutation's plan) that fails
  with a connection error or HTTP 502/503/504 is sent again after a full-jitter exponential
  backoff, at most ``max_attempts`` times, while the :class:`~gateway.execution.retry.RetryBudget`
  has a retry and before the fetch's deadline (``subgraphs.timeout_seconds`` from the first
  attempt): a retry that could not finish in time is not made (ADR 0207).

A call that succeeds first time costs a dictionary lookup, a state check, a clock read and a
few additions.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import structlog

from gateway.execution.breaker import CircuitBreaker
from gateway.execution.errors import CIRCUIT_OPEN
from gateway.execution.fetch_status import resending
from gateway.execution.observer import FetchObserver, fetch_status
from gateway.execution.retry import RetryBudget, full_jitter_backoff
from gateway.execution.settings import CircuitBreakerSettings, RetrySettings
from gateway.execution.trail import FetchTiming
from gateway.execution.transport import SubgraphFailure, SubgraphTransport, timed_out

__all__ = ["Resilience", "SubgraphHealth"]

_log = structlog.get_logger("gateway.subgraph_retries")


@dataclass(slots=True)
class SubgraphHealth:
    """The fault handling of one subgraph: its breaker, its budget and what they did."""

    breaker: CircuitBreaker | None
    budget: RetryBudget | None
    #: retries made
    retries: int = 0
    #: retries the budget refused
    retries_refused: int = 0
    #: calls failed fast by the open circuit
    rejected: int = 0


class Resilience:
    """Retries, retry budgets and circuit breakers around a :class:`SubgraphTransport`."""

    def __init__(
        self,
        transport: SubgraphTransport,
        *,
        timeout_seconds: float,
        retry: RetrySettings | None = None,
        breaker: CircuitBreakerSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
        draw: Callable[[], float] = random.random,
        observer: FetchObserver | None = None,
    ) -> None:
        self.transport = transport
        self.timeout_seconds = timeout_seconds
        self.retry = retry if retry is not None else RetrySettings()
        self.breaker = breaker if breaker is not None else CircuitBreakerSettings()
        self._retrying = self.retry.enabled and self.retry.max_attempts > 1
        self._clock = clock
        self._draw = draw
        self._subgraphs: dict[str, SubgraphHealth] = {}
        #: metrics of fetches, retries and circuit changes (``None``: none kept)
        self.observer = observer

    def health(self, service: str) -> SubgraphHealth:
        """The state of ``service`` (made on first use)."""
        health = self._subgraphs.get(service)
        if health is None:
            settings, retry = self.breaker, self.retry
            health = self._subgraphs[service] = SubgraphHealth(
                CircuitBreaker(
                    service,
                    failure_threshold=settings.failure_threshold,
                    open_seconds=settings.open_seconds,
                    clock=self._clock,
                    listener=self.observer.circuit_changed if self.observer is not None else None,
                )
                if settings.enabled
                else None,
                RetryBudget(
                    ratio=retry.budget_ratio,
                    min_per_second=retry.budget_min_per_second,
                    burst=retry.budget_burst,
                    clock=self._clock,
                )
                if self._retrying
                else None,
            )
        return health

    async def send(
        self,
        service: str,
        body: bytes,
        headers: Mapping[str, str] | None,
        *,
        retry: bool,
        timing: FetchTiming | None = None,
    ) -> bytes:
        """The subgraph's response body; ``retry`` for a query that may be sent again.

        Raises :class:`SubgraphFailure` (``SUBGRAPH_CIRCUIT_OPEN`` when failed fast). With an
        observer, the fetch's outcome and duration (retries included) are reported; ``timing``
        (the request lookup's note of the fetch) counts its attempts.
        """
        observer = self.observer
        if observer is None:
            return await self._send(service, body, headers, retry, timing)
        started = time.perf_counter()
        try:
            payload = await self._send(service, body, headers, retry, timing)
        except SubgraphFailure as failure:
            status = fetch_status(failure.code, failure.status)
            observer.fetched(service, status, time.perf_counter() - started)
            raise
        observer.fetched(service, "ok", time.perf_counter() - started)
        return payload

    async def _send(
        self,
        service: str,
        body: bytes,
        headers: Mapping[str, str] | None,
        retry: bool,
        timing: FetchTiming | None = None,
    ) -> bytes:
        health = self._subgraphs.get(service) or self.health(service)
        breaker = health.breaker
        if breaker is not None and not breaker.allow():
            health.rejected += 1
            raise SubgraphFailure(service, CIRCUIT_OPEN, "circuit breaker open")
        budget = health.budget
        if budget is not None:
            budget.deposit()
        started = self._clock()
        try:
            payload = await self.transport.send(service, body, headers)
        except SubgraphFailure as failure:
            if breaker is not None and failure.unhealthy:
                breaker.failure()
            if not (retry and failure.retryable and budget is not None):
                raise
            return await self._retry(health, service, body, headers, failure, started, timing)
        except BaseException:
            if breaker is not None:
                breaker.release()
            raise
        if breaker is not None:
            breaker.success()
        return payload

    async def _retry(
        self,
        health: SubgraphHealth,
        service: str,
        body: bytes,
        headers: Mapping[str, str] | None,
        failure: SubgraphFailure,
        started: float,
        timing: FetchTiming | None = None,
    ) -> bytes:
        """Send again after ``failure`` while attempts, budget, circuit and deadline allow."""
        settings = self.retry
        budget, breaker = health.budget, health.breaker
        assert budget is not None
        deadline = started + self.timeout_seconds
        for retry in range(1, settings.max_attempts):
            pause = full_jitter_backoff(
                retry,
                base_seconds=settings.backoff_base_seconds,
                max_seconds=settings.backoff_max_seconds,
                draw=self._draw,
            )
            if self._clock() + pause >= deadline:
                break  # no time left for another attempt
            if not budget.withdraw():
                health.retries_refused += 1
                _log.info("subgraph retry refused: budget spent", subgraph=service)
                break
            if pause:
                await asyncio.sleep(pause)
            if breaker is not None and not breaker.allow():
                budget.refund()
                break  # the circuit opened meanwhile: the last failure stands
            health.retries += 1
            if timing is not None:
                timing.attempts += 1
            if self.observer is not None:
                self.observer.retried(service)
            _log.info(
                "retrying subgraph query", subgraph=service, retry=retry, reason=failure.detail
            )
            try:
                async with asyncio.timeout(max(deadline - self._clock(), 0.0)):
                    with resending(retry):  # the attempt's span names its retry number
                        payload = await self.transport.send(service, body, headers)
            except TimeoutError:
                failure = timed_out(service, self.timeout_seconds)
            except SubgraphFailure as again:
                failure = again
            except BaseException:
                if breaker is not None:
                    breaker.release()
                raise
            else:
                if breaker is not None:
                    breaker.success()
                return payload
            if breaker is not None and failure.unhealthy:
                breaker.failure()
            if not failure.retryable:
                break
        raise failure
