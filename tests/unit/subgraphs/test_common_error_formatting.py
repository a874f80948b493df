"""Errors at the GraphQL edge: stable codes, details, request id, masking."""

from __future__ import annotations

from graphql import GraphQLError

from subgraphs.common.error_formatting import INTERNAL_ERROR_MESSAGE, format_error
from subgraphs.common.errors import CurrencyMismatchError, ErrorCode


def test_domain_error_keeps_message_and_details() -> None:
    original = CurrencyMismatchError(expected="USD", actual="EUR")
    error = GraphQLError("ignored", path=["capturePayment"], original_error=original)
    formatted = format_error(error, "rid")
    assert formatted.message == "currency EUR does not match USD"
    assert formatted.path == ["capturePayment"]
    assert formatted.extensions == {
        "code": "CURRENCY_MISMATCH",
        "expectedCurrency": "USD",
        "actualCurrency": "EUR",
        "requestId": "rid",
    }


def test_unexpected_exception_is_masked() -> None:
    original = RuntimeError("password=hunter2 in connection string")
    error = GraphQLError(str(original), path=["orders"], original_error=original)
    formatted = format_error(error, None)
    assert formatted.message == INTERNAL_ERROR_MESSAGE
    assert formatted.extensions == {"code": ErrorCode.INTERNAL_SERVER_ERROR.value}
    assert formatted.path == ["orders"]


def test_graphql_errors_get_codes() -> None:
    assert format_error(GraphQLError("Syntax Error: Expected Name"), None).extensions == {
        "code": "GRAPHQL_PARSE_FAILED"
    }
    assert format_error(
        GraphQLError("Cannot query field 'x' on type 'Query'."), "r"
    ).extensions == {
        "code": "GRAPHQL_VALIDATION_FAILED",
        "requestId": "r",
    }
    coercion = GraphQLError("Variable '$n' got invalid value 'x'; Int cannot represent non-integer")
    assert format_error(coercion, None).extensions == {"code": "BAD_USER_INPUT"}


def test_non_null_violation_is_internal() -> None:
    error = GraphQLError(
        "Cannot return null for non-nullable field Order.total.", path=["order", "total"]
    )
    assert format_error(error, None).extensions == {"code": "INTERNAL_SERVER_ERROR"}
