"""Typed settings of the request lookup (``observability.request_lookup.*``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["RequestLookupSettings"]


class RequestLookupSettings(BaseModel):
    """A record per request, looked up by its correlation id (docs/adr/1113)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(default=True, description="Keep request records; serve /requests/{id}.")
    store: Literal["memory", "redis"] = Field(
        default="memory",
        description="Where records are kept: in this process (bounded) or in Redis (shared by "
        "every gateway process; uses the redis.* settings).",
    )
    ttl_seconds: float = Field(
        default=86400, gt=0, description="How long a record can be looked up."
    )
    max_entries: int = Field(
        default=10000, ge=1, description="Records kept in process at most (the oldest go first)."
    )
    keep_variables: bool = Field(
        default=False,
        description="Keep variable values (development only); values of secret-looking names "
        "(password, token, secret, ...) are redacted whatever this says.",
    )
    max_backlog: int = Field(
        default=1000,
        ge=1,
        description="Records waiting to be written at most; more are dropped (and counted in a "
        "warning), never delaying a response.",
    )

    @property
    def uses_redis(self) -> bool:
        """Whether records are kept in Redis."""
        return self.enabled and self.store == "redis"
