"""Validation policy: introspection and field suggestions, off in production by default.

Usage (the engine, once per document, after the limits)::

    policy = validation_policy(settings.hardening, production=settings.production)  # start-up
    errors = validate_operation(api_schema, document, policy)

Introspection errors carry ``extensions.code = INTROSPECTION_DISABLED``; ``__typename`` is
always allowed (clients and the query planner rely on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    ValidationRule,
    specified_rules,
    validate,
)

from gateway.hardening.errors import HardeningErrorCode
from gateway.hardening.settings import HardeningSettings

__all__ = [
    "NoIntrospectionRule",
    "ValidationPolicy",
    "policy_for",
    "validate_operation",
    "validation_policy",
]

_INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


class NoIntrospectionRule(ValidationRule):
    """Refuses ``__schema`` and ``__type`` wherever they appear."""

    def enter_field(self, node: FieldNode, *_args: Any) -> None:
        """Report an introspection field."""
        if node.name.value in _INTROSPECTION_FIELDS:
            self.report_error(
                GraphQLError(
                    "GraphQL introspection is disabled on this gateway",
                    node,
                    extensions={"code": str(HardeningErrorCode.INTROSPECTION_DISABLED)},
                )
            )


@dataclass(frozen=True, slots=True)
class ValidationPolicy:
    """The rules to validate with and whether error messages may suggest names."""

    rules: tuple[type[ASTValidationRule], ...]
    hide_suggestions: bool
    introspection: bool


def validation_policy(settings: HardeningSettings, *, production: bool) -> ValidationPolicy:
    """The policy for ``settings`` in production mode or not."""
    return policy_for(
        introspection=settings.introspection_allowed(production),
        suggestions=settings.suggestions_allowed(production),
    )


def policy_for(*, introspection: bool, suggestions: bool) -> ValidationPolicy:
    """The policy allowing (or not) introspection and "Did you mean" suggestions.

    The engine builds its policy with this from its options, which
    ``gateway.engine.options_from_settings`` takes from :func:`validation_policy`: one decision,
    one rule set.
    """
    rules: tuple[type[ASTValidationRule], ...] = tuple(specified_rules)
    if not introspection:
        rules = (*rules, NoIntrospectionRule)
    return ValidationPolicy(
        rules=rules, hide_suggestions=not suggestions, introspection=introspection
    )


def validate_operation(
    schema: GraphQLSchema, document: DocumentNode, policy: ValidationPolicy
) -> list[GraphQLError]:
    """graphql-core validation under ``policy``."""
    return validate(schema, document, policy.rules, hide_suggestions=policy.hide_suggestions)
