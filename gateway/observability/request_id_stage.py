"""The correlation id as a stage: its fetch hook forwards ``X-Request-ID`` to every subgraph.

The id itself is assigned (or accepted) for every route by :class:`RequestIdMiddleware` before
any stage runs, and put on every error by the HTTP edge.
"""

from __future__ import annotations

from gateway.pipeline.fetch_headers import HeaderSource, request_id_source

__all__ = ["RequestIdStage"]


class RequestIdStage:
    """Fetch hook: the request's correlation id on every subgraph fetch."""

    name = "request-id"

    def fetch_headers(self) -> list[HeaderSource]:
        """``X-Request-ID``."""
        return [request_id_source()]
