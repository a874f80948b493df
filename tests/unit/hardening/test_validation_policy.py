"""Introspection and field suggestions off in production; errors leave without internals."""

from __future__ import annotations

from graphql import build_schema, parse

from gateway.hardening import (
    HardeningSettings,
    scrub_error,
    strip_suggestions,
    validate_operation,
    validation_policy,
)

SCHEMA = build_schema("type Query { hello: String order: Order } type Order { id: ID! }")


def messages_and_codes(query: str, *, production: bool, **settings: bool) -> list[tuple[str, str]]:
    policy = validation_policy(HardeningSettings(**settings), production=production)
    return [
        (error.message, (error.extensions or {}).get("code", ""))
        for error in validate_operation(SCHEMA, parse(query), policy)
    ]


def test_introspection_is_refused_in_production() -> None:
    query = "{ __schema { queryType { name } } }"
    errors = messages_and_codes(query, production=True)
    assert errors and {code for _, code in errors} == {"INTROSPECTION_DISABLED"}
    assert messages_and_codes('{ __type(name: "Order") { name } }', production=True)
    assert messages_and_codes(query, production=False) == []


def test_typename_is_always_allowed() -> None:
    assert messages_and_codes("{ __typename order { __typename id } }", production=True) == []


def test_explicit_settings_override_the_mode() -> None:
    query = "{ __schema { types { name } } }"
    assert messages_and_codes(query, production=True, introspection=True) == []
    assert messages_and_codes(query, production=False, introspection=False)


def test_field_suggestions_are_hidden_in_production() -> None:
    [(dev_message, _)] = messages_and_codes("{ helo }", production=False)
    [(prod_message, _)] = messages_and_codes("{ helo }", production=True)
    assert "Did you mean" in dev_message
    assert "Did you mean" not in prod_message and "helo" in prod_message


def test_scrub_error_removes_internals() -> None:
    error = {
        "message": 'Cannot query field "helo" on type "Query". Did you mean "hello"?',
        "path": ["helo"],
        "extensions": {
            "code": "GRAPHQL_VALIDATION_FAILED",
            "stacktrace": ["Traceback (most recent call last):", '  File "x.py"'],
            "exception": {"stacktrace": ["..."]},
        },
    }
    scrubbed = scrub_error(error, hide_suggestions=True)
    assert scrubbed == {
        "message": 'Cannot query field "helo" on type "Query".',
        "path": ["helo"],
        "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
    }
    assert "stacktrace" in error["extensions"]  # the input is not modified
    kept = scrub_error({"message": "x", "extensions": {"traceback": "..."}}, hide_suggestions=False)
    assert kept == {"message": "x"}


def test_strip_suggestions_handles_several_hints() -> None:
    message = (
        'Unknown argument "frist". Did you mean "first"? Unknown type "Ordr". Did you mean "Order"?'
    )
    assert strip_suggestions(message) == 'Unknown argument "frist". Unknown type "Ordr".'
