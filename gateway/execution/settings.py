"""Settings of the subgraph calls' error hygiene and fault handling (``subgraphs.*``).

``passthrough_error_codes`` decides which subgraph error messages a client may read (ADR 0206);
``retry`` and ``circuit_breaker`` configure how queries survive transient subgraph faults
(ADR 0207, ADR 0208). Every field has a safe default.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "DEFAULT_PASSTHROUGH_ERROR_CODES",
    "CircuitBreakerSettings",
    "RetrySettings",
]

#: codes whose subgraph messages are written for clients: the well-known client-facing codes
#: (GraphQL validation and input, authentication and authorization) and the domain codes of
#: the order subgraphs (docs/domain.md); any other code's message is replaced
DEFAULT_PASSTHROUGH_ERROR_CODES: tuple[str, ...] = (
    "BAD_USER_INPUT",
    "BAD_REQUEST",
    "NOT_FOUND",
    "FORBIDDEN",
    "UNAUTHENTICATED",
    "UNAUTHORIZED_FIELD_OR_TYPE",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "PERSISTED_QUERY_NOT_FOUND",
    "PERSISTED_QUERY_NOT_SUPPORTED",
    "OPERATION_RESOLUTION_FAILURE",
    "UNKNOWN_SKU",
    "ILLEGAL_STATE_TRANSITION",
    "ORDER_NOT_EDITABLE",
    "VERSION_CONFLICT",
    "INSUFFICIENT_STOCK",
    "CURRENCY_MISMATCH",
    "AMOUNT_EXCEEDS_AUTHORIZED",
    "AMOUNT_EXCEEDS_CAPTURED",
    "PAYMENT_DECLINED",
    "IDEMPOTENCY_KEY_REUSED",
    "IDEMPOTENCY_KEY_INVALID",
    "IDEMPOTENCY_KEY_IN_FLIGHT",
    "IDEMPOTENCY_KEY_REQUIRED",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetrySettings(_Strict):
    """Retries of query fetches after connection errors and HTTP 502/503/504 (ADR 0207).

    Mutations are never retried. A fetch with its retries never outlasts
    ``subgraphs.timeout_seconds``.
    """

    enabled: bool = Field(default=True, description="Retry query fetches (default true).")
    max_attempts: int = Field(
        default=3, ge=1, le=10, description="Attempts per fetch, the first included (default 3)."
    )
    backoff_base_seconds: float = Field(
        default=0.05,
        gt=0,
        description="Backoff before retry n is drawn in [0, base * 2^(n-1)] (full jitter; "
        "default 0.05).",
    )
    backoff_max_seconds: float = Field(
        default=1.0, gt=0, description="Upper bound of one backoff (default 1.0)."
    )
    budget_ratio: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description="Retries earned per fetch sent to a subgraph: at most this share of extra "
        "load (default 0.2, 20 %).",
    )
    budget_min_per_second: float = Field(
        default=1.0,
        ge=0,
        description="Retries always allowed per second and subgraph, however little the "
        "traffic (default 1.0).",
    )
    budget_burst: float = Field(
        default=10.0,
        ge=1,
        description="Most retries saved up per subgraph; the budget starts full (default 10).",
    )

    @model_validator(mode="after")
    def _bounded_backoff(self) -> RetrySettings:
        if self.backoff_max_seconds < self.backoff_base_seconds:
            raise ValueError("backoff_max_seconds must be at least backoff_base_seconds")
        return self


class CircuitBreakerSettings(_Strict):
    """A circuit breaker per subgraph (ADR 0208)."""

    enabled: bool = Field(default=True, description="Break circuits (default true).")
    failure_threshold: int = Field(
        default=5,
        ge=1,
        description="Consecutive failed calls (connection error, timeout, HTTP 5xx without a "
        "GraphQL body) that open the circuit (default 5).",
    )
    open_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How long an open circuit fails calls fast before one probe is let "
        "through (default 5).",
    )
