"""Typed settings shared by every subgraph (pydantic-settings).

Each subgraph subclasses :class:`SubgraphSettings` with its own environment prefix
(``ORDERGATE_ORDERS_``, ``ORDERGATE_INVENTORY_``...) and defaults (port, database file).
Values come from keyword arguments (the CLI), then the environment. An environment variable that
carries the prefix but names no field is rejected, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import Field
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

__all__ = ["SubgraphSettings", "UnknownSettingError", "environment_variable_names"]

LogLevel = Literal["debug", "info", "warning", "error"]


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
    log_level: LogLevel = Field(default="info", description="Minimum level of log records.")
    log_json: bool = Field(default=False, description="Log JSON lines instead of console text.")
    database_pool_size: int = Field(
        default=5, ge=1, le=100, description="Connections kept in the pool (PostgreSQL only)."
    )
    database_echo: bool = Field(default=False, description="Log every SQL statement.")
    ready_timeout_seconds: float = Field(
        default=2.0, gt=0, le=60, description="How long /ready waits for the database."
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
        """Keyword arguments win over the environment; unknown prefixed variables fail."""
        del dotenv_settings, file_secret_settings
        assert isinstance(env_settings, EnvSettingsSource)
        return init_settings, env_settings, _RejectUnknownEnvironment(settings_cls)

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite default."""
        return self.database_url.startswith("sqlite")
