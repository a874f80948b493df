"""Typed settings shared by every subgraph (pydantic-settings).

Each subgraph subclasses :class:`SubgraphSettings` with its own environment prefix
(``ORDERGATE_ORDERS_``, ``ORDERGATE_INVENTORY_``...) and defaults (port, database file).
Values come from keyword arguments (the CLI), then the environment. An environment variable that
carries the prefix but names no field is rejected, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from wire.tracing import TracingSettings

__all__ = ["SubgraphSettings", "UnknownSettingError", "environment_variable_names"]

LogLevel = Literal["debug", "info", "warning", "error"]
PrincipalMode = Literal["anonymous", "required"]
PrincipalTrust = Literal["signature", "network"]
#: shortest accepted principal signing secret (bytes)
MIN_PRINCIPAL_SECRET_BYTES = 32


class UnknownSettingError(ValueError):
    """An environment variable with a settings prefix matches no setting."""


class _RejectUnknownEnvironment(PydanticBaseSettingsSource):
    """A settings source that contributes nothing but fails on unknown prefixed variables."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        prefix = str(self.config.get("env_prefix", "")).upper()
        if not prefix:
            return {}
        known = environment_variable_names(self.settings_cls)
        unknown = sorted(
            name
            for name in (key.upper() for key in os.environ)
            if name.startswith(prefix) and name not in known
        )
        if unknown:
            raise UnknownSettingError(
                f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return {}


def environment_variable_names(settings_cls: type[BaseSettings]) -> set[str]:
    """The environment variable names (upper case) that set fields of ``settings_cls``."""
    prefix = str(settings_cls.model_config.get("env_prefix", "")).upper()
    return {f"{prefix}{name.upper()}" for name in settings_cls.model_fields}


class SubgraphSettings(BaseSettings):
    """Settings every subgraph has; subclasses set ``env_prefix`` and the defaults."""

    model_config = SettingsConfigDict(extra="forbid", validate_default=True)

    database_url: str = Field(
        default="sqlite+aiosqlite:///data/subgraph.db",
        description=(
            "SQLAlchemy async database URL: sqlite+aiosqlite:///path.db (embedded default) "
            "or postgresql+asyncpg://user@host:5432/db."
        ),
    )
    host: str = Field(default="127.0.0.1", description="Interface the HTTP server binds to.")
    port: int = Field(default=4000, ge=0, le=65535, description="TCP port of the HTTP server.")
    graphiql: bool = Field(default=True, description="Serve GraphiQL on GET /graphql.")
    assets_dir: Path | None = Field(
        default=None,
        description="The node_modules folder with GraphiQL's pinned npm packages (default: "
        "assets/node_modules of the checkout, filled by `make install`); served from /assets.",
    )
    log_level: LogLevel = Field(default="info", description="Minimum level of log records.")
    log_json: bool = Field(default=False, description="Log JSON lines instead of console text.")
    database_pool_size: int = Field(
        default=5, ge=1, le=100, description="Connections kept in the pool (PostgreSQL only)."
    )
    database_echo: bool = Field(default=False, description="Log every SQL statement.")
    metrics: bool = Field(
        default=True,
        description="Serve Prometheus metrics on GET /metrics (requests, resolver errors by "
        "code, database pool).",
    )
    gc_tuning: bool = Field(
        default=True,
        description="Tune Python's garbage collector in `ordergate subgraph` like the gateway's "
        "(raised thresholds, gc.freeze() after start-up, a collection every 10 s; docs/adr/0011).",
    )
    idempotency_retention_hours: float = Field(
        default=168.0,
        ge=0,
        description="How long an idempotency key row is kept, so a retried mutation returns "
        "its first result (default 168 = 7 days; keep it above the gateway's "
        "idempotency.retention_seconds; 0 keeps rows forever).",
    )
    idempotency_purge_interval_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="How often expired idempotency key rows are deleted (default hourly, and "
        "once at start-up).",
    )
    ready_timeout_seconds: float = Field(
        default=2.0, gt=0, le=60, description="How long /ready waits for the database."
    )
    principal_mode: PrincipalMode = Field(
        default="anonymous",
        description="A request without the gateway's principal header: `anonymous` (default, "
        "local development) serves it without restriction; `required` (production) refuses "
        "it with 401 PRINCIPAL_REQUIRED.",
    )
    principal_trust: PrincipalTrust = Field(
        default="signature",
        description="`signature` (default): the principal header must carry a valid, fresh "
        "HMAC-SHA256 signature made with the shared secret; `network`: accepted unsigned, only "
        "where nothing but the gateway can reach the subgraph.",
    )
    principal_secret: SecretStr | None = Field(
        default=None,
        description="The secret shared with the gateway, at least 32 bytes (default none; "
        "prefer principal_secret_file).",
    )
    principal_secret_file: Path | None = Field(
        default=None, description="File holding the shared secret (default none)."
    )
    principal_max_skew_seconds: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description="Largest distance between a signature's time and now (default 60).",
    )
    ownership_staff_roles: list[str] = Field(
        default_factory=lambda: ["admin", "staff", "support-agent", "partner"],
        description="Roles that make a principal with a customer id staff, who sees every "
        "customer's data, rather than a customer, who sees only its own (JSON list; default "
        "admin, staff, support-agent, partner).",
    )
    ownership_scopes: list[str] = Field(
        default_factory=list,
        description="A forwarded principal needs one of these scopes to see any owned data "
        "(JSON list; each subgraph sets its default; empty: no scope needed).",
    )

    tracing: TracingSettings = Field(
        default_factory=TracingSettings,
        description="OpenTelemetry tracing, off by default: a server span per request continuing "
        "the caller's traceparent, exported by OTLP/HTTP (JSON in the environment, e.g. "
        '{"enabled": true, "endpoint": "http://collector:4318/v1/traces"}; docs/observability.md).',
    )

    @model_validator(mode="after")
    def _principal_secret(self) -> SubgraphSettings:
        if self.principal_secret is not None and self.principal_secret_file is not None:
            raise ValueError("give either principal_secret or principal_secret_file, not both")
        given = self.principal_secret is not None or self.principal_secret_file is not None
        if self.principal_mode == "required" and self.principal_trust == "signature" and not given:
            raise ValueError("principal_mode=required needs principal_secret(_file)")
        secret = self.principal_secret
        if secret is not None and len(secret.get_secret_value().strip()) < (
            MIN_PRINCIPAL_SECRET_BYTES
        ):
            raise ValueError(f"principal_secret is shorter than {MIN_PRINCIPAL_SECRET_BYTES} bytes")
        return self

    def principal_secret_bytes(self) -> bytes | None:
        """The shared secret (reads ``principal_secret_file``; raises when it is too short)."""
        if self.principal_secret_file is not None:
            secret = self.principal_secret_file.read_bytes().strip()
            if len(secret) < MIN_PRINCIPAL_SECRET_BYTES:
                raise ValueError(
                    f"the secret in {self.principal_secret_file} is shorter than "
                    f"{MIN_PRINCIPAL_SECRET_BYTES} bytes"
                )
            return secret
        if self.principal_secret is not None:
            return self.principal_secret.get_secret_value().strip().encode("utf-8")
        return None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Keyword arguments win over the environment; unknown prefixed variables fail."""
        del dotenv_settings, file_secret_settings
        assert isinstance(env_settings, EnvSettingsSource)
        return init_settings, env_settings, _RejectUnknownEnvironment(settings_cls)

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite default."""
        return self.database_url.startswith("sqlite")
