"""Typed settings of an ``ordergate worker`` process (``ORDERGATE_WORKER_*``).

Nested settings use ``__``: ``ORDERGATE_WORKER_REDIS__URL``,
``ORDERGATE_WORKER_PROCESSING__CONCURRENCY``. Unknown keys are rejected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from wire.forwarding import PrincipalHeadersSettings
from wire.jobs.options import WorkerOptions
from wire.redis_client import RedisSettings
from wire.tracing import TracingSettings

__all__ = ["WorkerSettings", "worker_settings_from"]


class WorkerSettings(BaseSettings):
    """Where the jobs are and how to run them."""

    model_config = SettingsConfigDict(
        env_prefix="ORDERGATE_WORKER_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    redis: RedisSettings = Field(
        default_factory=RedisSettings,
        description="The Redis server holding the jobs (the gateway's, with the same prefix).",
    )
    jobs_key_prefix: str = Field(
        default="jobs",
        min_length=1,
        description="The gateway's jobs.key_prefix: jobs live under "
        "'<redis.key_prefix>:<jobs_key_prefix>'.",
    )
    supergraph_path: Path = Field(
        default=Path("schema/supergraph.graphql"),
        description="The supergraph whose subgraph URLs the worker calls.",
    )
    subgraph_urls: dict[str, str] = Field(
        default_factory=dict,
        description="Override subgraph URLs from the supergraph, by subgraph name.",
    )
    principal_headers: PrincipalHeadersSettings = Field(
        default_factory=PrincipalHeadersSettings,
        description="How calls carry the job submitter's principal, as the gateway's "
        "principal_headers (off, trusted, signed with the shared secret).",
    )
    consumer_name: str | None = Field(
        default=None,
        description="This worker's name in the consumer group (default: host name and pid).",
    )
    log_format: str = Field(default="console", pattern="^(console|json)$", description="Log style.")
    heartbeat_file: Path | None = Field(
        default=None,
        description="A file the worker touches on every poll (at least every "
        "processing.poll_seconds while idle, after every chunk while busy), for container "
        "health checks (default none).",
    )
    processing: WorkerOptions = Field(default_factory=WorkerOptions)
    tracing: TracingSettings = Field(
        default_factory=TracingSettings,
        description="OpenTelemetry tracing, off by default: the worker continues the trace of "
        "the request that submitted each job (docs/observability.md, 'Tracing').",
    )


def worker_settings_from(**overrides: Any) -> WorkerSettings:
    """Settings from the environment with ``overrides`` (``None`` ignored) on top."""
    return WorkerSettings(**{key: value for key, value in overrides.items() if value is not None})
