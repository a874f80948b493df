"""The status and headers of a batched response."""

from __future__ import annotations

from gateway.engine.types import GraphQLResult
from gateway.http.batch import batch_status_and_headers


def _limited(retry_after: str | None, remaining: int) -> GraphQLResult:
    headers = {"RateLimit": f'"cost";r={remaining};t=9', "RateLimit-Policy": '"cost";q=40'}
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    return GraphQLResult(errors=[{"message": "x"}], status_code=429, headers=headers)


def test_a_batch_with_something_served_is_200_and_reports_the_last_budget() -> None:
    served = GraphQLResult(data={}, headers={"RateLimit": '"cost";r=3;t=1'})
    status, headers = batch_status_and_headers([served, _limited("7", 1)])
    assert status == 200
    assert headers == {"ratelimit": '"cost";r=1;t=9', "ratelimit-policy": '"cost";q=40'}


def test_a_batch_refused_entirely_by_the_limiter_is_429_with_the_longest_wait() -> None:
    status, headers = batch_status_and_headers([_limited("7", 1), _limited("12", 1)])
    assert status == 429
    assert headers["retry-after"] == "12"


def test_a_batch_of_request_errors_stays_200_and_keeps_no_cache() -> None:
    not_found = GraphQLResult(
        errors=[{"message": "PersistedQueryNotFound"}],
        headers={"Cache-Control": "private, no-cache, must-revalidate"},
    )
    invalid = GraphQLResult(errors=[{"message": "bad"}], status_code=400)
    status, headers = batch_status_and_headers([invalid, not_found])
    assert status == 200
    assert headers == {"cache-control": "private, no-cache, must-revalidate"}
    assert batch_status_and_headers([_limited(None, 0)]) == (
        429,
        {"ratelimit": '"cost";r=0;t=9', "ratelimit-policy": '"cost";q=40'},
    )
