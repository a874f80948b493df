"""The HTTP status and headers of a batched response (a JSON array of operations).

Every entry runs on its own (and is charged on its own), and its errors stay inside its own
entry. The batch answers HTTP 200, except when every entry was refused by the rate limiter: then
429, with the longest ``Retry-After`` of the entries. Headers of the entries are merged in order,
so the ``RateLimit`` fields describe the budget after the last entry; ``Retry-After`` is only
sent with a 429, and ``Cache-Control`` keeps its most restrictive value (``no-cache`` when some
entry said so).
"""

from __future__ import annotations

from collections.abc import Sequence

from gateway.engine.types import GraphQLResult

__all__ = ["batch_status_and_headers"]

_RATE_LIMITED = 429


def batch_status_and_headers(results: Sequence[GraphQLResult]) -> tuple[int, dict[str, str]]:
    """The status and headers of the HTTP response carrying ``results`` as a batch."""
    headers: dict[str, str] = {}
    cache_control: str | None = None
    retry_after = 0
    for result in results:
        for name, value in result.headers.items():
            lower = name.lower()
            if lower == "retry-after":
                retry_after = max(retry_after, int(value)) if value.isdigit() else retry_after
            elif lower == "cache-control":
                if cache_control is None or "no-cache" in value:
                    cache_control = value
            else:
                headers[lower] = value
    status = 200
    if results and all(result.status_code == _RATE_LIMITED for result in results):
        status = _RATE_LIMITED
        if retry_after:
            headers["retry-after"] = str(retry_after)
    if cache_control is not None:
        headers["cache-control"] = cache_control
    return status, headers
