"""GraphQL hardening: operation limits, introspection/suggestions policy, CSRF prevention,
error scrubbing. Each refusal is a :class:`HardeningError` with a stable code."""

from gateway.hardening.csrf import CsrfPreventionMiddleware, csrf_violation
from gateway.hardening.error_scrubbing import scrub_error, strip_suggestions
from gateway.hardening.errors import HardeningError, HardeningErrorCode
from gateway.hardening.limits import (
    OperationMeasures,
    measure_operation,
    operation_limit_violations,
    parse_with_limits,
)
from gateway.hardening.settings import CsrfSettings, HardeningSettings
from gateway.hardening.validation import (
    NoIntrospectionRule,
    ValidationPolicy,
    policy_for,
    validate_operation,
    validation_policy,
)

__all__ = [
    "CsrfPreventionMiddleware",
    "CsrfSettings",
    "HardeningError",
    "HardeningErrorCode",
    "HardeningSettings",
    "NoIntrospectionRule",
    "OperationMeasures",
    "ValidationPolicy",
    "csrf_violation",
    "measure_operation",
    "operation_limit_violations",
    "parse_with_limits",
    "policy_for",
    "scrub_error",
    "strip_suggestions",
    "validate_operation",
    "validation_policy",
]
