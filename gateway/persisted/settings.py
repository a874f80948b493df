"""Typed settings of the persisted-documents stage (mounted by the lead in ``GatewaySettings``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ApqSettings", "PersistedDocumentsSettings"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApqSettings(_Strict):
    """Automatic persisted queries (Apollo's protocol)."""

    enabled: bool = Field(
        default=True,
        description="Accept APQ hashes and registrations (PERSISTED_QUERY_NOT_SUPPORTED when off).",
    )
    store: Literal["memory", "redis"] = Field(
        default="memory",
        description="Where registered documents live: this process, or the shared Redis.",
    )
    key_prefix: str = Field(
        default="apq",
        min_length=1,
        description="Key segment in Redis: '<redis.key_prefix>:<this>:<sha256>'.",
    )
    ttl_seconds: int = Field(
        default=86_400, ge=0, description="Lifetime of a document in Redis (0: no expiry)."
    )
    max_entries: int = Field(
        default=10_000,
        gt=0,
        description="Documents kept in process (the memory store, or the copy in front of Redis).",
    )


class PersistedDocumentsSettings(_Strict):
    """Trusted documents, safelisting and APQ."""

    clients_file: Path = Field(
        default=Path("persisted_queries/clients.yaml"),
        description="The clients file (modes, budgets, manifests); absent: everyone allow-all "
        "with a measured default budget.",
    )
    watch: bool = Field(
        default=True, description="Reload the clients file and its manifests when they change."
    )
    apq: ApqSettings = Field(default_factory=ApqSettings)
