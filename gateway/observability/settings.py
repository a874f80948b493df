"""Typed settings of the gateway's observability (``observability.*``): metrics, the access
log and tracing (docs/observability.md)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from gateway.observability.lookup.settings import RequestLookupSettings
from gateway.observability.tracing_settings import TracingSettings

__all__ = ["AccessLogSettings", "MetricsSettings", "ObservabilitySettings"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MetricsSettings(_Strict):
    """Prometheus metrics on ``GET /metrics`` (docs/adr/1105)."""

    enabled: bool = Field(default=True, description="Record metrics and serve GET /metrics.")
    max_client_versions: int = Field(
        default=50,
        ge=0,
        description="Distinct client versions (apollographql-client-version or "
        "graphql-client-version header) used as label values; later ones are 'other'.",
    )
    max_operations: int = Field(
        default=200,
        ge=0,
        description="Distinct operation names of raw documents used as label values (names of "
        "trusted documents do not count); later ones are 'other'.",
    )
    multiprocess_base_dir: Path | None = Field(
        default=None,
        description="With --workers N: where the per-run directory of metric files is made "
        "(default: <tmp>/ordergate-metrics).",
    )


class AccessLogSettings(_Strict):
    """One JSON line per request (docs/adr/1108)."""

    enabled: bool = Field(default=True, description="Write one access line per request.")


class ObservabilitySettings(_Strict):
    """Metrics, the access log, tracing and the request lookup."""

    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    access_log: AccessLogSettings = Field(default_factory=AccessLogSettings)
    tracing: TracingSettings = Field(
        default_factory=TracingSettings,
        description="OpenTelemetry tracing, off by default (docs/observability.md, 'Tracing').",
    )
    request_lookup: RequestLookupSettings = Field(default_factory=RequestLookupSettings)
