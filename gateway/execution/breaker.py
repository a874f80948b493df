"""A circuit breaker for one subgraph: stop calling it while it is down (ADR 0208).

States: **closed** (calls go through; ``failure_threshold`` consecutive failures open it),
**open** (calls fail fast for ``open_seconds``), **half-open** (one call goes through as a
probe; its success closes the circuit, its failure opens it again for another
``open_seconds``). The clock is injected, so the state machine is tested without sleeping.

Usage (by :class:`~gateway.execution.resilience.Resilience`, around each subgraph call)::

    if not breaker.allow():
        raise ...                    # fail fast
    try:
        answer = await call()
    except Failure:
        breaker.failure()            # or nothing, for a failure that says nothing of health
    except asyncio.CancelledError:
        breaker.release()            # a probe that ended without an outcome
    else:
        breaker.success()
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum

import structlog

__all__ = ["CircuitBreaker", "CircuitState"]

_log = structlog.get_logger("gateway.circuit_breaker")


class CircuitState(Enum):
    """Where a circuit breaker is."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


_CLOSED = CircuitState.CLOSED
_OPEN = CircuitState.OPEN
_HALF_OPEN = CircuitState.HALF_OPEN


class CircuitBreaker:
    """The circuit of one subgraph (one per subgraph and gateway process)."""

    __slots__ = (
        "_clock",
        "failures",
        "listener",
        "open_seconds",
        "opened",
        "opened_at",
        "probing",
        "service",
        "state",
        "threshold",
    )

    def __init__(
        self,
        service: str,
        *,
        failure_threshold: int,
        open_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        listener: Callable[[str, CircuitState], None] | None = None,
    ) -> None:
        if failure_threshold < 1 or open_seconds <= 0:
            raise ValueError("failure_threshold must be >= 1 and open_seconds > 0")
        self.service = service
        self.threshold = failure_threshold
        self.open_seconds = open_seconds
        self._clock = clock
        self.state = _CLOSED
        #: consecutive failures while closed
        self.failures = 0
        self.opened_at = 0.0
        #: a half-open probe is under way
        self.probing = False
        #: how many times the circuit opened
        self.opened = 0
        #: told of every change of state (metrics), with the subgraph's name
        self.listener = listener

    def allow(self) -> bool:
        """Whether a call may go to the subgraph now (a half-open circuit lets one through)."""
        state = self.state
        if state is _CLOSED:
            return True
        if state is _OPEN:
            if self._clock() - self.opened_at < self.open_seconds:
                return False
            self.state = _HALF_OPEN
            self.probing = False
            _log.info("subgraph circuit half-open: probing", subgraph=self.service)
            self._changed()
        if self.probing:
            return False
        self.probing = True
        return True

    def success(self) -> None:
        """A call got an answer: closes a half-open circuit, resets the failure count."""
        state = self.state
        if state is _CLOSED:
            if self.failures:
                self.failures = 0
        elif state is _HALF_OPEN:
            self.state = _CLOSED
            self.failures = 0
            self.probing = False
            _log.info("subgraph circuit closed", subgraph=self.service)
            self._changed()
        # open: an answer to a call made before the circuit opened changes nothing

    def failure(self) -> None:
        """A call failed in a way that says the subgraph is unhealthy."""
        state = self.state
        if state is _CLOSED:
            self.failures += 1
            if self.failures >= self.threshold:
                self._open()
        elif state is _HALF_OPEN:
            self._open()

    def release(self) -> None:
        """A call ended without an outcome (cancelled): a half-open circuit may probe again."""
        if self.state is _HALF_OPEN:
            self.probing = False

    def _open(self) -> None:
        self.state = _OPEN
        self.opened_at = self._clock()
        self.probing = False
        self.opened += 1
        _log.warning(
            "subgraph circuit open: failing fast",
            subgraph=self.service,
            consecutive_failures=self.failures,
            open_seconds=self.open_seconds,
        )
        self._changed()

    def _changed(self) -> None:
        if self.listener is not None:
            self.listener(self.service, self.state)
