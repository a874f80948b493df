"""Authentication: JWT (several issuers, JWKS or HS256) and API keys, into a :class:`Principal`.

See :mod:`gateway.auth.authenticator` for the usage and docs/security.md for configuration.
"""

from gateway.auth.api_keys import ApiKeyRecord, ApiKeyStore, generate_api_key, hash_api_key
from gateway.auth.authenticator import Authenticator
from gateway.auth.errors import AuthenticationError, AuthErrorCode
from gateway.auth.principal import ANONYMOUS, Principal, PrincipalKind
from gateway.auth.settings import ApiKeySettings, AuthSettings, JwtIssuerSettings

__all__ = [
    "ANONYMOUS",
    "ApiKeyRecord",
    "ApiKeySettings",
    "ApiKeyStore",
    "AuthErrorCode",
    "AuthSettings",
    "AuthenticationError",
    "Authenticator",
    "JwtIssuerSettings",
    "Principal",
    "PrincipalKind",
    "generate_api_key",
    "hash_api_key",
]
