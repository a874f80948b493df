"""A subgraph's Prometheus metrics on ``GET /metrics`` (docs/observability.md "Metrics").

Built by :func:`~subgraphs.common.app.create_subgraph_app` on a registry of the app's own:

- ``ordergate_subgraph_requests_duration_seconds{subgraph, status_class}``: every ``/graphql``
  request, timed by :class:`TimedRoute`;
- ``ordergate_subgraph_resolver_errors_total{subgraph, code}``: the errors of each result by
  their ``extensions.code``, counted where they get it
  (:class:`~subgraphs.common.error_formatting.DomainErrorFormatter`);
- ``ordergate_subgraph_db_pool_connections{subgraph, state}``: the SQLAlchemy pool's
  connections in use and idle, read when scraped.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.pool import Pool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["LATENCY_BUCKETS", "PoolCollector", "SubgraphMetrics", "TimedRoute"]

#: the gateway's buckets (0.2 s: the p95 target)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)


class PoolCollector(Collector):
    """The connections of a SQLAlchemy pool, in use and idle, when scraped."""

    def __init__(self, subgraph: str, pool: Pool) -> None:
        self._subgraph = subgraph
        self._pool = pool

    def collect(self) -> Iterable[GaugeMetricFamily]:
        """One gauge family with ``in_use`` and ``idle``."""
        family = GaugeMetricFamily(
            "ordergate_subgraph_db_pool_connections",
            "Database pool connections by state.",
            labels=("subgraph", "state"),
        )
        pool = self._pool
        in_use = pool.checkedout() if hasattr(pool, "checkedout") else 0
        idle = pool.checkedin() if hasattr(pool, "checkedin") else 0
        family.add_metric((self._subgraph, "in_use"), float(in_use))
        family.add_metric((self._subgraph, "idle"), float(idle))
        yield family


class SubgraphMetrics:
    """The metrics of one subgraph app."""

    def __init__(self, subgraph: str, pool: Pool, registry: CollectorRegistry) -> None:
        self.subgraph = subgraph
        self.registry = registry
        self.requests = Histogram(
            "ordergate_subgraph_requests_duration_seconds",
            "Subgraph GraphQL requests by status class.",
            ("subgraph", "status_class"),
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.resolver_errors = Counter(
            "ordergate_subgraph_resolver_errors",
            "Errors in subgraph results by extensions.code.",
            ("subgraph", "code"),
            registry=registry,
        )
        registry.register(PoolCollector(subgraph, pool))

    def request(self, status: int, seconds: float) -> None:
        """One ``/graphql`` request answered with ``status``."""
        status_class = f"{min(max(status // 100, 1), 5)}xx"
        self.requests.labels(self.subgraph, status_class).observe(seconds)

    def errors(self, codes: Iterator[str] | Iterable[str]) -> None:
        """The codes of a result's errors, one count each."""
        for code in codes:
            self.resolver_errors.labels(self.subgraph, code).inc()


class TimedRoute:
    """ASGI wrapper timing a route's requests into :meth:`SubgraphMetrics.request`."""

    def __init__(self, app: ASGIApp, metrics: SubgraphMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_timed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_timed)
        finally:
            self.metrics.request(status, time.perf_counter() - started)
