"""The tracer of one app: an OpenTelemetry ``TracerProvider`` exporting by OTLP/HTTP.

Built only when tracing is on (:func:`build_tracing` returns ``None`` otherwise, and the code
that would make spans checks for ``None`` once, at assembly). The provider is never installed
as OpenTelemetry's global one: each app holds its own, so several apps in one process (tests,
the embedded worker beside the gateway) each export under their own ``service.name``, and
nothing outlives :meth:`Tracing.shutdown`.

Usage::

    tracing = build_tracing(settings.tracing, default_service="ordergate-gateway")
    if tracing is not None:
        with tracing.tracer.start_as_current_span("work"):
            ...
        tracing.shutdown()          # flushes the spans still queued
"""

from __future__ import annotations

from dataclasses import dataclass

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import Tracer

from wire.tracing.settings import TracingSettings

__all__ = ["Tracing", "build_tracing"]

_INSTRUMENTATION = "ordergate"


@dataclass(frozen=True, slots=True)
class Tracing:
    """An app's tracer and the provider behind it."""

    provider: TracerProvider
    tracer: Tracer

    def force_flush(self) -> bool:
        """Export every span ended so far (``False`` on timeout)."""
        return self.provider.force_flush()

    def shutdown(self) -> None:
        """Flush and stop exporting."""
        self.provider.shutdown()


def build_tracing(
    settings: TracingSettings,
    *,
    default_service: str,
    exporter: SpanExporter | None = None,
) -> Tracing | None:
    """The app's tracing when ``settings.enabled``, else ``None`` (nothing is built).

    ``exporter`` replaces the OTLP/HTTP exporter (tests of the tracing code itself).
    """
    if not settings.enabled:
        return None
    resource = Resource.create({"service.name": settings.service_name or default_service})
    provider = TracerProvider(
        resource=resource, sampler=ParentBased(TraceIdRatioBased(settings.sample_ratio))
    )
    provider.add_span_processor(
        BatchSpanProcessor(
            exporter
            or OTLPSpanExporter(endpoint=settings.endpoint, timeout=settings.export_timeout_seconds)
        )
    )
    return Tracing(provider, provider.get_tracer(_INSTRUMENTATION))
