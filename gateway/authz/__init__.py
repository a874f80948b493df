"""Field-level authorization from the supergraph's ``@authenticated``, ``@requiresScopes`` and
``@policy`` directives: pure analysis and pruning of operations before planning.

See :mod:`gateway.authz.authorizer` for the usage and docs/security.md for configuration.
"""

from gateway.authz.authorizer import Authorizer, OperationAnalysis
from gateway.authz.index import AuthorizationIndex, DirectiveNames, UnsupportedSpecError
from gateway.authz.outcome import (
    UNAUTHORIZED_CODE,
    AuthorizationKey,
    AuthorizationOutcome,
    ResponsePath,
    concrete_paths,
    located_errors,
)
from gateway.authz.policies import Policy, PolicyRegistry, claims_policy
from gateway.authz.requirements import Requirement
from gateway.authz.settings import AuthorizationMode, AuthorizationSettings, PolicySettings

__all__ = [
    "UNAUTHORIZED_CODE",
    "AuthorizationIndex",
    "AuthorizationKey",
    "AuthorizationMode",
    "AuthorizationOutcome",
    "AuthorizationSettings",
    "Authorizer",
    "DirectiveNames",
    "OperationAnalysis",
    "Policy",
    "PolicyRegistry",
    "PolicySettings",
    "Requirement",
    "ResponsePath",
    "UnsupportedSpecError",
    "claims_policy",
    "concrete_paths",
    "located_errors",
]
