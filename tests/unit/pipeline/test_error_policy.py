"""The response point: errors leave scrubbed, and shared results are never changed."""

from __future__ import annotations

from gateway.engine.types import GraphQLResult
from gateway.hardening.error_policy import ErrorPolicy

RAW = {
    "message": "Cannot query field 'numbr' on type 'Order'. Did you mean 'number'?",
    "path": ["order"],
    "extensions": {"code": "X", "stacktrace": ["at x()"], "exception": {"a": 1}},
}


def test_internals_and_suggestions_are_removed_from_a_copy() -> None:
    cached = GraphQLResult(errors=[RAW], status_code=400, headers={"a": "b"})
    finished = ErrorPolicy(hide_suggestions=True).finish(cached)
    assert finished.errors == [
        {
            "message": "Cannot query field 'numbr' on type 'Order'.",
            "path": ["order"],
            "extensions": {"code": "X"},
        }
    ]
    assert finished.status_code == 400 and finished.headers == {"a": "b"}
    assert cached.errors == [RAW] and "stacktrace" in RAW["extensions"]  # type: ignore[operator]


def test_exposed_internals_keep_extensions_but_still_follow_suggestions() -> None:
    policy = ErrorPolicy(hide_suggestions=False, expose_internals=True)
    (error,) = policy.finish(GraphQLResult(errors=[RAW])).errors or []
    assert error == RAW and error is not RAW
    assert ErrorPolicy(hide_suggestions=True, expose_internals=True).scrub(RAW)["message"] == (
        "Cannot query field 'numbr' on type 'Order'."
    )


def test_results_without_errors_pass_through() -> None:
    result = GraphQLResult(data={"a": 1})
    assert ErrorPolicy(hide_suggestions=True).finish(result) is result
