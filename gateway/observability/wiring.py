"""Observability of one gateway app, built by ``create_app`` from its runtime's settings:
the request recorder (metrics and access log) and the ``/metrics`` route."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.routing import Route

from gateway.observability.access_log import AccessLog
from gateway.observability.metrics import GatewayMetrics
from gateway.observability.observation import RecordSink, RequestRecorder
from gateway.observability.settings import ObservabilitySettings
from gateway.persisted.reload import ClientRegistrySource
from wire.metrics import MetricsEndpoint

__all__ = ["metrics_routes", "request_recorder"]


def request_recorder(
    settings: ObservabilitySettings,
    metrics: GatewayMetrics | None,
    clients: ClientRegistrySource,
    lookup: RecordSink | None = None,
) -> RequestRecorder | None:
    """The recorder of the app's requests (``None`` with metrics, access log and request
    lookup all off)."""
    access_log = AccessLog() if settings.access_log.enabled else None
    if metrics is None and access_log is None and lookup is None:
        return None

    def listed() -> Mapping[str, Any]:
        return clients.current.clients

    return RequestRecorder(metrics, access_log, listed, lookup)


def metrics_routes(metrics: GatewayMetrics | None) -> list[Route]:
    """``GET /metrics`` when metrics are on."""
    if metrics is None:
        return []
    return [Route("/metrics", MetricsEndpoint(metrics.registry), methods=["GET"])]
