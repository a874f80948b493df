"""The gateway's tracing settings: ``observability.tracing`` (environment
``ORDERGATE_GATEWAY_OBSERVABILITY__TRACING__<FIELD>``).

The same :class:`~wire.tracing.TracingSettings` model the subgraphs (``tracing``) and the worker
(``tracing``) use: off by default; ``enabled: true`` exports by OTLP/HTTP to ``endpoint`` or to
the exporter's standard ``OTEL_EXPORTER_OTLP_*`` address (docs/observability.md, "Tracing").
"""

from __future__ import annotations

from wire.tracing import TracingSettings

__all__ = ["TracingSettings"]
