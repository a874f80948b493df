"""Typed settings of the gateway's observability (``observability.*``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from gateway.observability.tracing_settings import TracingSettings

__all__ = ["ObservabilitySettings"]


class ObservabilitySettings(BaseModel):
    """Observability of the gateway."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tracing: TracingSettings = Field(
        default_factory=TracingSettings,
        description="OpenTelemetry tracing, off by default (docs/observability.md, 'Tracing').",
    )
