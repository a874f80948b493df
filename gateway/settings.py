"""Typed gateway configuration: environment (``ORDERGATE_GATEWAY_*``) and an optional file.

Nested settings use ``__`` in environment names, for example
``ORDERGATE_GATEWAY_SUBGRAPHS__TIMEOUT_SECONDS=5``.
A YAML or TOML file named by ``ORDERGATE_GATEWAY_CONFIG_FILE`` is read too; environment variables
win over the file. Unknown keys are rejected everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
    YamlConfigSettingsSource,
)

from gateway.auth.settings import AuthSettings
from gateway.authz.settings import AuthorizationSettings
from gateway.execution.settings import (
    DEFAULT_PASSTHROUGH_ERROR_CODES,
    CircuitBreakerSettings,
    RetrySettings,
)
from gateway.hardening.settings import HardeningSettings
from gateway.idempotency.settings import IdempotencySettings
from gateway.jobs.settings import JobsSettings
from gateway.limits.settings import LimitsSettings
from gateway.observability.settings import ObservabilitySettings
from gateway.persisted.settings import PersistedDocumentsSettings
from gateway.process.settings import RuntimeSettings
from gateway.rest.settings import RestSettings
from wire.forwarding import PrincipalHeadersSettings
from wire.redis_client import RedisSettings

__all__ = ["CONFIG_FILE_VARIABLE", "GatewaySettings", "HttpSettings", "SubgraphSettings"]

CONFIG_FILE_VARIABLE = "ORDERGATE_GATEWAY_CONFIG_FILE"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HttpSettings(_Strict):
    """The HTTP edge."""

    max_request_bytes: int = Field(
        default=1_048_576, gt=0, description="Largest accepted request body (HTTP 413 above)."
    )
    graphiql: bool = Field(default=True, description="Serve GraphiQL on a browser GET of /graphql.")
    assets_dir: Path | None = Field(
        default=None,
        description="The node_modules folder GraphiQL's pinned npm packages are installed in "
        "(default: assets/node_modules of the checkout, filled by `make install`).",
    )
    max_batch_size: int = Field(
        default=10, ge=0, description="Most operations in one batched (array) request; 0 disables."
    )
    deduplicate_inflight: bool = Field(
        default=False,
        description="Identical in-flight query operations (same supergraph, document, "
        "variables, principal, authorization outcome and forwarded headers) share one "
        "execution and one serialized body (never mutations).",
    )


class SubgraphSettings(_Strict):
    """How the gateway talks to subgraphs."""

    timeout_seconds: float = Field(default=10.0, gt=0, description="Timeout of one subgraph fetch.")
    expose_errors: bool = Field(
        default=False,
        description="Pass subgraph errors through unmasked (every message, stack traces, "
        "URLs); for debugging, refused in production mode (default false).",
    )
    passthrough_error_codes: tuple[str, ...] = Field(
        default=DEFAULT_PASSTHROUGH_ERROR_CODES,
        description="Codes whose subgraph error messages reach clients; any other message "
        "(INTERNAL_SERVER_ERROR, unknown or no code) is replaced by a generic one with the "
        "request id and logged (default: client-facing and domain codes, ADR 0206).",
    )
    retry: RetrySettings = Field(
        default_factory=RetrySettings,
        description="Retries of query fetches after connection errors and HTTP 502/503/504.",
    )
    circuit_breaker: CircuitBreakerSettings = Field(
        default_factory=CircuitBreakerSettings,
        description="A circuit breaker per subgraph: fail fast while it is down.",
    )
    urls: dict[str, str] = Field(
        default_factory=dict,
        description="Override subgraph URLs from the supergraph, by subgraph name.",
    )
    deduplicate_inflight: bool = Field(
        default=True, description="Share identical in-flight subgraph queries (never mutations)."
    )
    transport: Literal["aiohttp", "lean"] = Field(
        default="aiohttp",
        description="Subgraph HTTP client: aiohttp, or the lean pooled HTTP/1.1 client on "
        "httptools (less CPU per call, ADR 0860).",
    )


class GatewaySettings(BaseSettings):
    """Everything the gateway process reads at start-up."""

    model_config = SettingsConfigDict(
        env_prefix="ORDERGATE_GATEWAY_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    supergraph_path: Path = Field(
        default=Path("schema/supergraph.graphql"), description="The supergraph SDL file to serve."
    )
    watch_supergraph: bool = Field(
        default=True, description="Reload the supergraph when its file changes."
    )
    host: str = Field(default="127.0.0.1", description="Interface to listen on.")
    port: int = Field(default=4000, ge=0, le=65535, description="Port to listen on.")
    production: bool = Field(
        default=False, description="Production mode: introspection and field suggestions off."
    )
    plan_cache_size: int = Field(default=1024, gt=0, description="Cached operation plans.")
    log_format: str = Field(default="console", pattern="^(console|json)$", description="Log style.")
    http: HttpSettings = Field(default_factory=HttpSettings)
    subgraphs: SubgraphSettings = Field(default_factory=SubgraphSettings)
    auth: AuthSettings = Field(
        default_factory=AuthSettings,
        description="Authentication: JWT issuers, API keys, anonymous access (docs/security.md).",
    )
    authorization: AuthorizationSettings = Field(
        default_factory=AuthorizationSettings,
        description="Field authorization from @authenticated/@requiresScopes/@policy.",
    )
    hardening: HardeningSettings = Field(
        default_factory=HardeningSettings,
        description="Operation limits, introspection and suggestions, CSRF prevention.",
    )
    redis: RedisSettings = Field(
        default_factory=RedisSettings,
        description="The Redis server shared by the stores set to 'redis' (unused otherwise).",
    )
    persisted: PersistedDocumentsSettings = Field(
        default_factory=PersistedDocumentsSettings,
        description="Persisted documents: clients file, trusted documents, APQ.",
    )
    limits: LimitsSettings = Field(
        default_factory=LimitsSettings,
        description="Operation cost and per-client cost budgets.",
    )
    principal_headers: PrincipalHeadersSettings = Field(
        default_factory=PrincipalHeadersSettings,
        description="The verified principal sent to subgraphs: off, signed or trusted "
        "(docs/security.md, object-level access).",
    )
    idempotency: IdempotencySettings = Field(
        default_factory=IdempotencySettings,
        description="Idempotency-Key handling for mutations (docs/idempotency-and-jobs.md).",
    )
    jobs: JobsSettings = Field(
        default_factory=JobsSettings,
        description="Import jobs: HTTP 202, job resources, queue, workers, dead letters.",
    )
    runtime: RuntimeSettings = Field(
        default_factory=RuntimeSettings,
        description="The gateway process: worker processes and garbage-collector tuning.",
    )
    rest: RestSettings = Field(
        default_factory=RestSettings,
        description="REST compatibility routes for legacy callers (docs/rest.md).",
    )
    observability: ObservabilitySettings = Field(
        default_factory=ObservabilitySettings,
        description="Metrics on /metrics, the access log and tracing (docs/observability.md).",
    )

    @model_validator(mode="after")
    def _no_internals_in_production(self) -> GatewaySettings:
        if self.production and self.subgraphs.expose_errors:
            raise ValueError("subgraphs.expose_errors cannot be used in production mode")
        return self

    @property
    def uses_redis(self) -> bool:
        """Whether some store is configured to live in Redis."""
        return (
            self.persisted.apq.store == "redis"
            or (self.limits.enabled and self.limits.store == "redis")
            or (self.idempotency.enabled and self.idempotency.store == "redis")
            or (self.jobs.enabled and self.jobs.backend == "redis")
            or self.observability.request_lookup.uses_redis
        )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Order: explicit arguments, environment, then the optional config file."""
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get(CONFIG_FILE_VARIABLE)
        if config_file:
            sources.append(_file_source(settings_cls, Path(config_file)))
        return tuple(sources)


def _file_source(settings_cls: type[BaseSettings], path: Path) -> PydanticBaseSettingsSource:
    if not path.is_file():
        raise FileNotFoundError(f"{CONFIG_FILE_VARIABLE} names {path}, which is not a file")
    if path.suffix in {".yaml", ".yml"}:
        return YamlConfigSettingsSource(settings_cls, yaml_file=path)
    if path.suffix == ".toml":
        return TomlConfigSettingsSource(settings_cls, toml_file=path)
    raise ValueError(f"config file {path} must be .yaml, .yml or .toml")


def settings_from(**overrides: Any) -> GatewaySettings:
    """Settings from the environment and file, with ``overrides`` on top (used by the CLI)."""
    return GatewaySettings(**{k: v for k, v in overrides.items() if v is not None})
