"""A real OTLP/HTTP trace receiver for tests: it decodes what exporters POST to ``/v1/traces``.

Each request body is an ``ExportTraceServiceRequest`` (protobuf, as opentelemetry-proto
defines it); every span is kept as a :class:`ReceivedSpan` with its service's name.

Usage::

    async with otlp_receiver() as receiver:
        settings = {"enabled": True, "endpoint": receiver.endpoint}
        ...
    spans = receiver.spans
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from live_server import live_server
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass(frozen=True)
class ReceivedSpan:
    """One span as the receiver decoded it (ids as lower-case hex)."""

    service: str
    name: str
    trace_id: str
    span_id: str
    parent_span_id: str
    kind: int
    attributes: dict[str, Any]
    status_code: int


def _value(value: AnyValue) -> Any:
    which = value.WhichOneof("value")
    return getattr(value, which) if which is not None else None


@dataclass
class OtlpReceiver:
    """What arrived, and where exporters send it."""

    endpoint: str = ""
    spans: list[ReceivedSpan] = field(default_factory=list)
    requests: int = 0

    def decode(self, body: bytes) -> None:
        """Keep the spans of one export request."""
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        self.requests += 1
        for resource_spans in request.resource_spans:
            resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
            service = str(resource.get("service.name", ""))
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    self.spans.append(
                        ReceivedSpan(
                            service=service,
                            name=span.name,
                            trace_id=span.trace_id.hex(),
                            span_id=span.span_id.hex(),
                            parent_span_id=span.parent_span_id.hex(),
                            kind=span.kind,
                            attributes={a.key: _value(a.value) for a in span.attributes},
                            status_code=span.status.code,
                        )
                    )

    def named(self, name: str) -> list[ReceivedSpan]:
        """The spans called ``name``."""
        return [span for span in self.spans if span.name == name]

    def by_id(self) -> dict[str, ReceivedSpan]:
        """Span id -> span."""
        return {span.span_id: span for span in self.spans}


@asynccontextmanager
async def otlp_receiver() -> AsyncIterator[OtlpReceiver]:
    """An OTLP/HTTP receiver on an ephemeral port."""
    receiver = OtlpReceiver()

    async def traces(request: Request) -> Response:
        if request.headers.get("content-type") != "application/x-protobuf":
            return Response(status_code=415)
        receiver.decode(await request.body())
        return Response(
            ExportTraceServiceResponse().SerializeToString(),
            media_type="application/x-protobuf",
        )

    app = Starlette(routes=[Route("/v1/traces", traces, methods=["POST"])])
    async with live_server(app, lifespan="off") as url:
        receiver.endpoint = f"{url}/v1/traces"
        yield receiver
