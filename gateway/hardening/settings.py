"""Typed hardening settings, mounted by the lead as ``GatewaySettings.hardening``.

Every limit has a safe default and can be switched off with ``null``. Example::

    hardening:
      max_depth: 12
      max_aliases: 20
      introspection: false
      csrf_prevention:
        required_headers: [apollo-require-preflight]
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["CsrfSettings", "HardeningSettings"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _preflight_headers() -> list[str]:
    return ["x-apollo-operation-name", "apollo-require-preflight"]


class CsrfSettings(_Strict):
    """CSRF prevention: only requests a browser would have preflighted may run operations."""

    enabled: bool = Field(
        default=True,
        description="Refuse requests that could be simple CORS requests (default true).",
    )
    required_headers: list[str] = Field(
        default_factory=_preflight_headers,
        min_length=1,
        description="Any one of these headers proves a preflight "
        "(default [x-apollo-operation-name, apollo-require-preflight]).",
    )

    @field_validator("required_headers")
    @classmethod
    def _lower_case(cls, value: list[str]) -> list[str]:
        return [name.lower() for name in value]


class HardeningSettings(_Strict):
    """Limits every operation must pass before validation, and production switches."""

    max_document_bytes: int | None = Field(
        default=65_536, gt=0, description="Largest GraphQL document, UTF-8 bytes (default 65536)."
    )
    max_tokens: int | None = Field(
        default=5_000,
        gt=0,
        description="Most lexical tokens (and most comments) in a document (default 5000).",
    )
    max_depth: int | None = Field(
        default=15,
        gt=0,
        description="Deepest field nesting, root fields at 1, following fragments (default 15).",
    )
    max_aliases: int | None = Field(
        default=30,
        ge=0,
        description="Most aliased fields, counted once per fragment use (default 30).",
    )
    max_root_fields: int | None = Field(
        default=20,
        gt=0,
        description="Most fields in the root selection set, fragments expanded (default 20).",
    )
    max_fields: int | None = Field(
        default=2_000,
        gt=0,
        description="Most selected fields with fragments expanded, a fragment counting once per "
        "use; stops fragment 'bombs' that the other limits cannot see (default 2000).",
    )
    introspection: bool | None = Field(
        default=None,
        description="Allow __schema/__type; null: allowed unless production mode (default null).",
    )
    field_suggestions: bool | None = Field(
        default=None,
        description="'Did you mean ...?' hints in errors; null: on unless production "
        "(default null).",
    )
    csrf_prevention: CsrfSettings = Field(
        default_factory=CsrfSettings, description="CSRF prevention (default on)."
    )

    def introspection_allowed(self, production: bool) -> bool:
        """Whether introspection runs, given ``GatewaySettings.production``."""
        return self.introspection if self.introspection is not None else not production

    def suggestions_allowed(self, production: bool) -> bool:
        """Whether field suggestions appear in errors, given ``GatewaySettings.production``."""
        return self.field_suggestions if self.field_suggestions is not None else not production
