"""A supergraph in the shape Apollo composition writes, with authorization directives, and
helpers to authorize operations against it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphql import GraphQLSchema, build_schema, parse, print_ast, validate

from gateway.auth import Principal, PrincipalKind
from gateway.authz import (
    AuthorizationMode,
    AuthorizationOutcome,
    AuthorizationSettings,
    Authorizer,
    PolicyRegistry,
)
from gateway.supergraph import load_schema

SUPERGRAPH = (Path(__file__).parent / "orders_supergraph_authz.graphql").read_text()

#: the schema clients validate against (the supergraph minus its federation machinery is
#: the composition engineer's job; for these tests the supergraph itself serves)
API_SCHEMA: GraphQLSchema = build_schema(SUPERGRAPH)


def principal(*scopes: str, kind: PrincipalKind = PrincipalKind.JWT, **claims: Any) -> Principal:
    """A caller holding ``scopes`` (anonymous with ``kind=ANONYMOUS``)."""
    if kind is PrincipalKind.ANONYMOUS:
        return Principal(kind=kind)
    subject = str(claims.pop("sub", "user"))
    return Principal(kind=kind, subject=subject, scopes=frozenset(scopes), claims=claims)


ANONYMOUS = principal(kind=PrincipalKind.ANONYMOUS)


def authorizer(
    mode: AuthorizationMode = AuthorizationMode.ENFORCE,
    policies: PolicyRegistry | None = None,
    supergraph: str = SUPERGRAPH,
    max_error_paths: int = 100,
) -> Authorizer:
    settings = AuthorizationSettings(mode=mode, max_error_paths=max_error_paths)
    return Authorizer.from_supergraph(
        load_schema(supergraph), settings, policies or PolicyRegistry()
    )


def authorize(
    query: str,
    caller: Principal,
    *,
    operation_name: str | None = None,
    using: Authorizer | None = None,
) -> AuthorizationOutcome:
    """Validate ``query`` (it must be valid), then authorize it for ``caller``."""
    document = parse(query)
    errors = validate(API_SCHEMA, document)
    assert not errors, errors
    chosen = using or authorizer()
    return chosen.outcome(
        chosen.analyze(document, operation_name),
        chosen.key_for(chosen.analyze(document, operation_name), caller),
    )


def printed(outcome: AuthorizationOutcome) -> str:
    """The pruned document, printed, after checking it is still a valid operation."""
    assert outcome.document is not None
    errors = [
        error
        for error in validate(API_SCHEMA, outcome.document)
        if "is never used" not in error.message  # pruning may leave a variable unused
    ]
    assert not errors, errors
    return print_ast(outcome.document)


def normalized(query: str) -> str:
    """``query`` printed the way graphql-core prints, for comparisons."""
    return print_ast(parse(query))


def paths(outcome: AuthorizationOutcome) -> list[list[str]]:
    return [list(path) for path in outcome.unauthorized_paths]
