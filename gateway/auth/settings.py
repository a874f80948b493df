"""Typed authentication settings, mounted by the lead as ``GatewaySettings.auth``.

Every model rejects unknown keys. Example (YAML config file)::

    auth:
      allow_anonymous: true
      issuers:
        - issuer: https://idp.example.com/
          audiences: [ordergate]
          jwks_url: https://idp.example.com/.well-known/jwks.json
          algorithms: [RS256]
      api_keys:
        file: /etc/ordergate/api-keys.yaml
      role_scopes:
        admin: [orders:read, orders:write]
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "ASYMMETRIC_ALGORITHMS",
    "SYMMETRIC_ALGORITHMS",
    "ApiKeySettings",
    "AuthSettings",
    "JwtAlgorithm",
    "JwtIssuerSettings",
]

JwtAlgorithm = Literal[
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256"
]
#: algorithms verified with keys from a JWKS URL
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
)
#: algorithms verified with a shared secret (development only)
SYMMETRIC_ALGORITHMS = frozenset({"HS256"})


def _default_algorithms() -> list[JwtAlgorithm]:
    return ["RS256"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JwtIssuerSettings(_Strict):
    """One trusted token issuer: either a JWKS URL (RS*/PS*/ES*) or an HS256 secret file."""

    issuer: str = Field(
        min_length=1,
        description="The exact `iss` value of this issuer's tokens (compared byte for byte).",
    )
    audiences: list[str] = Field(
        min_length=1, description="Accepted `aud` values; a token must name at least one."
    )
    algorithms: list[JwtAlgorithm] = Field(
        default_factory=_default_algorithms,
        min_length=1,
        description="Accepted `alg` values (default [RS256]); `none` is never accepted.",
    )
    jwks_url: str | None = Field(
        default=None,
        pattern=r"^https?://",
        description="URL of the issuer's JSON Web Key Set (default none: use `secret_file`).",
    )
    secret_file: Path | None = Field(
        default=None,
        description="File holding the HS256 secret, at least 32 bytes (development; default none).",
    )
    leeway_seconds: float = Field(
        default=30.0, ge=0, le=300, description="Clock skew tolerated on exp/nbf/iat (default 30)."
    )
    jwks_cache_seconds: float = Field(
        default=300.0, gt=0, description="How long fetched keys are fresh (default 300)."
    )
    jwks_refetch_cooldown_seconds: float = Field(
        default=30.0,
        ge=0,
        description="Least time between two JWKS fetches, whatever the token's kid (default 30).",
    )
    jwks_timeout_seconds: float = Field(
        default=5.0, gt=0, description="Timeout of one JWKS fetch (default 5)."
    )
    scope_claim: str = Field(
        default="scope",
        description="Claim holding scopes: space-separated string or list (default `scope`).",
    )
    roles_claim: str = Field(
        default="roles",
        description="Claim holding roles; dotted paths such as `realm_access.roles` work "
        "(default `roles`).",
    )
    client_id_claim: str = Field(
        default="client_id", description="Claim naming the OAuth client (default `client_id`)."
    )
    customer_id_claim: str = Field(
        default="customer_id",
        description="Claim naming the customer a storefront user acts for (default `customer_id`).",
    )

    @model_validator(mode="after")
    def _one_key_source(self) -> JwtIssuerSettings:
        if (self.jwks_url is None) == (self.secret_file is None):
            raise ValueError("an issuer needs exactly one of jwks_url and secret_file")
        wanted = ASYMMETRIC_ALGORITHMS if self.jwks_url else SYMMETRIC_ALGORITHMS
        wrong = sorted(set(self.algorithms) - wanted)
        if wrong:
            source = "jwks_url" if self.jwks_url else "secret_file"
            raise ValueError(f"algorithms {wrong} cannot be used with {source}")
        return self


class ApiKeySettings(_Strict):
    """Server-to-server API keys, stored hashed in a YAML or TOML file."""

    file: Path | None = Field(
        default=None, description="YAML/TOML file of hashed keys (default none: keys disabled)."
    )
    header: str = Field(
        default="x-api-key",
        description="Header carrying the key; `Authorization: ApiKey <key>` works too "
        "(default `x-api-key`).",
    )
    reload_interval_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How often the file is checked for changes, e.g. a revocation (default 5).",
    )

    @field_validator("header")
    @classmethod
    def _lower_case(cls, value: str) -> str:
        return value.lower()


class AuthSettings(_Strict):
    """Authentication: JWT issuers, API keys, anonymous access and role to scope mapping."""

    allow_anonymous: bool = Field(
        default=True,
        description="Let requests without credentials in as the anonymous principal, which "
        "holds no scopes (default true). Bad credentials are refused either way.",
    )
    anonymous_mutations: bool = Field(
        default=False,
        description="Let the anonymous principal send mutation operations (default false: "
        "refused with 401 AUTHENTICATION_REQUIRED before planning, whatever the schema "
        "requires). Only for schemas without credentials, such as the federation audit.",
    )
    realm: str = Field(
        default="ordergate",
        pattern=r'^[^"\\]+$',
        description="Realm named in WWW-Authenticate (default `ordergate`).",
    )
    issuers: list[JwtIssuerSettings] = Field(
        default_factory=list, description="Trusted JWT issuers (default none)."
    )
    api_keys: ApiKeySettings = Field(
        default_factory=ApiKeySettings, description="API key store (default: disabled)."
    )
    role_scopes: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Scopes each role grants, added to the principal's scopes (default none).",
    )

    @field_validator("issuers")
    @classmethod
    def _unique_issuers(cls, value: list[JwtIssuerSettings]) -> list[JwtIssuerSettings]:
        names = [issuer.issuer for issuer in value]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"issuers configured twice: {duplicates}")
        return value
