"""The gateway's Prometheus metrics (names: docs/observability.md "Metrics", the contract of
issue 15), built on the registry of one app.

:class:`GatewayMetrics` is made by ``create_app`` (through the ``GatewayRuntime``) on a
:class:`~prometheus_client.CollectorRegistry` of its own and handed to what records: the HTTP
edge (requests, in-flight), the engine (plan cache; subgraph fetches, retries and circuit
states through :class:`~gateway.execution.observer.EngineObserver`), the cost stage, the
idempotency stage and the observability stage (rejections). Label values that come from
clients are bounded (:mod:`gateway.observability.labels`).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from gateway.execution.breaker import CircuitState
from gateway.observability.labels import BoundedValues
from gateway.observability.settings import MetricsSettings

__all__ = ["COST_BUCKETS", "LATENCY_BUCKETS", "GatewayMetrics", "status_class"]

#: request and fetch latency buckets (0.2 s: the p95 target)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
#: operation cost buckets (cost units)
COST_BUCKETS = (1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)

_CIRCUIT_VALUES = {CircuitState.CLOSED: 0, CircuitState.HALF_OPEN: 1, CircuitState.OPEN: 2}


def status_class(status: int) -> str:
    """``2xx`` .. ``5xx`` of an HTTP status."""
    return f"{min(max(status // 100, 1), 5)}xx"


class GatewayMetrics:
    """Every gateway metric, on ``registry``; the recording methods are cheap and never raise."""

    def __init__(self, settings: MetricsSettings, registry: CollectorRegistry) -> None:
        self.settings = settings
        self.registry = registry
        self.client_versions = BoundedValues(settings.max_client_versions)
        self.operations = BoundedValues(settings.max_operations)
        self.requests = Histogram(
            "ordergate_gateway_requests_duration_seconds",
            "Gateway requests by client, client version, operation, transport and status class.",
            ("client", "client_version", "operation", "transport", "status_class"),
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.inflight = Gauge(
            "ordergate_gateway_inflight_requests",
            "Requests being served.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.fetches = Histogram(
            "ordergate_gateway_subgraph_fetch_duration_seconds",
            "Subgraph fetches (retries included) by subgraph and outcome.",
            ("subgraph", "status"),
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.retries = Counter(
            "ordergate_gateway_subgraph_retries",
            "Subgraph fetches sent again after a transient failure.",
            ("subgraph",),
            registry=registry,
        )
        self.circuits = Gauge(
            "ordergate_gateway_subgraph_circuit_state",
            "Circuit breaker per subgraph: 0 closed, 1 half-open, 2 open (worst worker).",
            ("subgraph",),
            registry=registry,
            multiprocess_mode="livemax",
        )
        self.cost = Histogram(
            "ordergate_gateway_operation_cost",
            "Operation cost: estimated before execution, actual after.",
            ("kind",),
            buckets=COST_BUCKETS,
            registry=registry,
        )
        self.rejections = Counter(
            "ordergate_gateway_rejections",
            "Requests and operations refused before execution, by error code.",
            ("code",),
            registry=registry,
        )
        self.plan_cache_lookups = Counter(
            "ordergate_gateway_plan_cache",
            "Plan cache lookups by result.",
            ("result",),
            registry=registry,
        )
        self.idempotency_replays = Counter(
            "ordergate_gateway_idempotency_replays",
            "Mutations answered by replaying the stored response of their Idempotency-Key.",
            registry=registry,
        )
        self._hits = self.plan_cache_lookups.labels("hit")
        self._misses = self.plan_cache_lookups.labels("miss")
        self._estimated = self.cost.labels("estimated")
        self._actual = self.cost.labels("actual")

    # ------------------------------------------------------------ the edge
    def request(
        self,
        *,
        client: str,
        client_version: str,
        operation: str,
        transport: str,
        status: int,
        seconds: float,
    ) -> None:
        """One HTTP request served (labels already bounded: :meth:`version_label`,
        :meth:`operation_label`)."""
        self.requests.labels(
            client, client_version, operation, transport, status_class(status)
        ).observe(seconds)

    def version_label(self, version: str | None) -> str:
        """The client-version label of a header value (``none`` without one)."""
        return self.client_versions.admit(version) if version else "none"

    def operation_label(self, name: str, *, known: bool) -> str:
        """The operation label of ``name`` (``known``: a trusted document's operation)."""
        return self.operations.admit(name, known=known)

    def rejected(self, code: str) -> None:
        """A request or operation refused with ``code``."""
        self.rejections.labels(code).inc()

    # ------------------------------------------------------------ the engine
    def plan_cache(self, hit: bool) -> None:
        """A plan found in the cache, or built."""
        (self._hits if hit else self._misses).inc()

    def fetched(self, subgraph: str, status: str, seconds: float) -> None:
        """One subgraph fetch, its retries included."""
        self.fetches.labels(subgraph, status).observe(seconds)

    def retried(self, subgraph: str) -> None:
        """A subgraph fetch sent again."""
        self.retries.labels(subgraph).inc()

    def circuit_changed(self, subgraph: str, state: CircuitState) -> None:
        """The circuit of ``subgraph`` is now ``state``."""
        self.circuits.labels(subgraph).set(_CIRCUIT_VALUES[state])

    # ------------------------------------------------------------ stages
    def estimated_cost(self, cost: float) -> None:
        """The static cost of an operation, before it ran (or was refused for it)."""
        self._estimated.observe(cost)

    def actual_cost(self, cost: float) -> None:
        """The cost measured on an executed operation's response."""
        self._actual.observe(cost)

    def replayed(self) -> None:
        """An idempotent replay was served."""
        self.idempotency_replays.inc()
