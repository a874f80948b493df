"""Typed tracing settings, the same for the gateway, the subgraphs and the import worker.

Tracing is off by default. With ``enabled: true`` spans are exported by OTLP over HTTP
(protobuf) to ``endpoint``; without an endpoint the exporter's standard environment variables
apply (``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, then ``OTEL_EXPORTER_OTLP_ENDPOINT`` with
``/v1/traces``, then ``http://localhost:4318/v1/traces``). Those variables never turn
tracing on by themselves (docs/adr/1110).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["TracingSettings"]


class TracingSettings(BaseModel):
    """OpenTelemetry tracing: on or off, where spans go, how many traces are kept."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(
        default=False,
        description="Record spans and export them by OTLP/HTTP. Off: no tracer provider is "
        "made; an incoming traceparent/tracestate is still passed on unchanged.",
    )
    endpoint: str | None = Field(
        default=None,
        description="The OTLP/HTTP traces URL, e.g. http://collector:4318/v1/traces (default: "
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT, else localhost:4318).",
    )
    service_name: str | None = Field(
        default=None,
        description="The service.name resource attribute (default: ordergate-gateway, "
        "ordergate-<subgraph>, ordergate-worker).",
    )
    sample_ratio: float = Field(
        default=1.0,
        ge=0.0,
        le=1.0,
        description="Share of new traces recorded; a trace that came in sampled (or not) is "
        "followed as its caller decided (parent-based).",
    )
    export_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Timeout of one OTLP export request."
    )
