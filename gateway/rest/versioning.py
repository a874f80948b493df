"""Deprecated routes: the ``Deprecation`` (RFC 9745), ``Sunset`` (RFC 8594) and
``Link: rel="successor-version"`` headers, and whether the sunset has passed (then 410)."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

from gateway.rest.config import RouteSpec

__all__ = ["deprecation_headers", "is_sunset"]


def deprecation_headers(spec: RouteSpec) -> dict[str, str]:
    """The headers every response of a deprecated route carries (none for another route)."""
    deprecated = spec.deprecated
    if deprecated is None:
        return {}
    headers = {"deprecation": f"@{int(deprecated.since.timestamp())}"}
    if deprecated.sunset is not None:
        headers["sunset"] = format_datetime(deprecated.sunset.astimezone(dt.UTC), usegmt=True)
    if deprecated.successor is not None:
        headers["link"] = f'<{deprecated.successor}>; rel="successor-version"'
    return headers


def is_sunset(spec: RouteSpec, now: dt.datetime) -> bool:
    """Whether the route's sunset has passed at ``now`` (it then answers 410 Gone)."""
    deprecated = spec.deprecated
    return deprecated is not None and deprecated.sunset is not None and now >= deprecated.sunset
