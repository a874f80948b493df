"""Response values that tell a client about its budget.

- ``RateLimit-Policy`` / ``RateLimit`` (draft-ietf-httpapi-ratelimit-headers, structured
  fields): ``RateLimit-Policy: "cost";q=1000;w=20`` (quota ``q`` in cost units, ``w`` the
  seconds an empty bucket takes to refill) and ``RateLimit: "cost";r=640;t=8`` (``r`` units
  remaining, ``t`` seconds until the quota is back: until the refused operation fits, or until
  the bucket is full).
- ``Retry-After`` (delay-seconds) on a 429.
- ``extensions.cost`` of the GraphQL response: ``{requested, actual, throttleStatus:
  {maximumAvailable, currentlyAvailable, restoreRate}}``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gateway.limits.budget import BudgetPolicy

__all__ = [
    "POLICY_NAME",
    "ThrottleStatus",
    "cost_extension",
    "json_number",
    "rate_limit_headers",
    "retry_after_header",
]

#: the quota policy identifier in ``RateLimit-Policy`` and ``RateLimit``
POLICY_NAME = "cost"


@dataclass(frozen=True, slots=True)
class ThrottleStatus:
    """A client's bucket as the response reports it."""

    maximum_available: float
    currently_available: float
    restore_rate: float

    def to_json(self) -> dict[str, Any]:
        """The ``throttleStatus`` object."""
        return {
            "maximumAvailable": json_number(self.maximum_available),
            "currentlyAvailable": json_number(self.currently_available),
            "restoreRate": json_number(self.restore_rate),
        }


def json_number(value: float) -> int | float:
    """A cost as JSON: an integer when it is whole, else rounded to 3 decimals."""
    value = float(value)
    if value.is_integer():
        return int(value)
    return round(value, 3)


def cost_extension(
    requested: float, actual: float | None, throttle_status: ThrottleStatus | None
) -> dict[str, Any]:
    """The value of the response's ``extensions.cost``."""
    return {
        "requested": json_number(requested),
        "actual": json_number(actual) if actual is not None else None,
        "throttleStatus": throttle_status.to_json() if throttle_status is not None else None,
    }


def retry_after_header(seconds: float | None) -> str | None:
    """``Retry-After`` in whole seconds (at least 1), or ``None`` when it will never fit."""
    if seconds is None:
        return None
    return str(max(1, math.ceil(seconds)))


def _seconds_until_full(policy: BudgetPolicy, tokens: float) -> int | None:
    missing = policy.capacity - tokens
    if missing <= 0:
        return 0
    if policy.refill_per_second <= 0:
        return None
    return math.ceil(missing / policy.refill_per_second)


def rate_limit_headers(
    policy: BudgetPolicy, tokens: float, retry_after_seconds: float | None = None
) -> dict[str, str]:
    """``RateLimit-Policy`` and ``RateLimit`` for a bucket holding ``tokens``.

    Give ``retry_after_seconds`` for a refused operation: ``t`` is then the wait until it fits.
    """
    quota = f'"{POLICY_NAME}";q={int(policy.capacity)}'
    if policy.window_seconds is not None:
        quota += f";w={policy.window_seconds}"
    remaining = f'"{POLICY_NAME}";r={max(0, math.floor(tokens))}'
    reset: int | None
    if retry_after_seconds is not None:
        reset = max(1, math.ceil(retry_after_seconds))
    else:
        reset = _seconds_until_full(policy, tokens)
    if reset is not None:
        remaining += f";t={reset}"
    return {"RateLimit-Policy": quota, "RateLimit": remaining}
