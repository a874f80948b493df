"""Logging, request correlation and metrics."""

from gateway.observability.logging import configure_logging
from gateway.observability.request_id import (
    REQUEST_ID_HEADER,
    RequestIdMiddleware,
    current_request_id,
)

__all__ = ["REQUEST_ID_HEADER", "RequestIdMiddleware", "configure_logging", "current_request_id"]
