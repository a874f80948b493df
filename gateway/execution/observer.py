"""What the engine reports as it works, for metrics (implemented by
:class:`gateway.observability.metrics.GatewayMetrics`; ``None`` reports nothing)."""

from __future__ import annotations

from typing import Protocol

from gateway.execution.breaker import CircuitState

__all__ = ["FETCH_STATUSES", "EngineObserver", "FetchObserver", "fetch_status"]

#: the outcomes of a subgraph fetch, as the metric labels them
FETCH_STATUSES = ("ok", "http_5xx", "http_4xx", "timeout", "connection_error", "circuit_open")


def fetch_status(code: str, status: int) -> str:
    """The label of a failed fetch from its :class:`SubgraphFailure` code and HTTP status."""
    if code == "SUBGRAPH_CIRCUIT_OPEN":
        return "circuit_open"
    if code == "SUBREQUEST_TIMEOUT":
        return "timeout"
    if status >= 500:
        return "http_5xx"
    if status >= 400:
        return "http_4xx"
    return "connection_error"


class FetchObserver(Protocol):
    """Subgraph fetches, retries and circuit breakers."""

    def fetched(self, subgraph: str, status: str, seconds: float) -> None:
        """One fetch (its retries included) ended with ``status`` after ``seconds``."""
        ...

    def retried(self, subgraph: str) -> None:
        """A fetch to ``subgraph`` was sent again."""
        ...

    def circuit_changed(self, subgraph: str, state: CircuitState) -> None:
        """The circuit breaker of ``subgraph`` moved to ``state``."""
        ...


class EngineObserver(FetchObserver, Protocol):
    """The engine's reports: fetches and the plan cache."""

    def plan_cache(self, hit: bool) -> None:
        """An operation found its plan in the cache (``hit``) or had it built."""
        ...
