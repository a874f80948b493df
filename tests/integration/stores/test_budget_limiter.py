"""Per-client cost budgets through the limiter, against both bucket stores."""

from __future__ import annotations

import asyncio
import hashlib
import re

import pytest
from graphql import parse
from store_backends import StoreBackend

from gateway.limits.analyzer import CostAnalyzer
from gateway.limits.budget import BudgetPolicy
from gateway.limits.errors import (
    COST_ESTIMATED_TOO_EXPENSIVE,
    RATE_LIMITED,
    CostTooExpensiveError,
    RateLimitedError,
)
from gateway.limits.headers import cost_extension
from gateway.limits.limiter import BudgetLimiter
from gateway.supergraph import load_schema

ENFORCED = BudgetPolicy(capacity=100, refill_per_second=10, max_operation_cost=60)
QUOTA = BudgetPolicy(capacity=50, refill_per_second=0, max_operation_cost=50)


def _limiter(backend: StoreBackend, replica: int = 0) -> BudgetLimiter:
    return BudgetLimiter(backend.bucket_store(replica=replica))


async def test_an_admitted_operation_is_charged_and_reported(store_backend: StoreBackend) -> None:
    limiter = _limiter(store_backend)
    admission = await limiter.admit("acme", ENFORCED, 40)
    assert (admission.charged, admission.over_budget) == (40, False)
    status = admission.throttle_status
    assert status is not None
    assert (status.maximum_available, status.restore_rate) == (100, 10)
    assert 60 <= status.currently_available < 61
    headers = admission.headers()
    assert headers["RateLimit-Policy"] == '"cost";q=100;w=10'
    assert re.fullmatch(r'"cost";r=60;t=4', headers["RateLimit"])


async def test_an_over_budget_request_gets_429_with_retry_after(
    store_backend: StoreBackend,
) -> None:
    limiter = _limiter(store_backend)
    await limiter.admit("acme", ENFORCED, 60)
    await limiter.admit("acme", ENFORCED, 30)
    with pytest.raises(RateLimitedError) as caught:
        await limiter.admit("acme", ENFORCED, 50)
    error = caught.value
    result = error.to_result()
    assert result.status_code == 429
    assert result.errors is not None
    assert result.errors[0]["extensions"]["code"] == RATE_LIMITED
    assert result.headers["Retry-After"] == "4"  # 40 units missing at 10/s
    assert result.headers["RateLimit-Policy"] == '"cost";q=100;w=10'
    assert result.headers["RateLimit"] == '"cost";r=10;t=4'
    assert result.extensions is not None
    cost = result.extensions["cost"]
    assert (cost["requested"], cost["actual"]) == (50, 0)
    assert cost["throttleStatus"]["maximumAvailable"] == 100
    assert cost["throttleStatus"]["currentlyAvailable"] == pytest.approx(10, abs=0.5)
    assert cost["throttleStatus"]["restoreRate"] == 10


async def test_an_operation_above_the_maximum_is_refused_before_the_bucket_is_touched(
    store_backend: StoreBackend,
) -> None:
    limiter = _limiter(store_backend)
    with pytest.raises(CostTooExpensiveError) as caught:
        await limiter.admit("acme", ENFORCED, 61)
    result = caught.value.to_result()
    assert result.status_code == 400
    assert result.errors is not None
    extensions = result.errors[0]["extensions"]
    assert extensions["code"] == COST_ESTIMATED_TOO_EXPENSIVE
    assert (extensions["cost.estimated"], extensions["cost.max"]) == (61, 60)
    assert "61" in result.errors[0]["message"] and "60" in result.errors[0]["message"]
    after = await limiter.admit("acme", ENFORCED, 0)
    assert after.throttle_status is not None
    assert after.throttle_status.currently_available == 100


async def test_client_a_exhausting_its_bucket_leaves_client_b_unaffected(
    store_backend: StoreBackend,
) -> None:
    limiter = _limiter(store_backend)
    for _ in range(5):
        await limiter.admit("client-a", QUOTA, 10)
    with pytest.raises(RateLimitedError):
        await limiter.admit("client-a", QUOTA, 10)
    admission = await limiter.admit("client-b", QUOTA, 10)
    assert admission.throttle_status is not None
    assert admission.throttle_status.currently_available == 40


async def test_a_quota_without_refill_gives_no_retry_after(store_backend: StoreBackend) -> None:
    limiter = _limiter(store_backend)
    await limiter.admit("acme", QUOTA, 50)
    with pytest.raises(RateLimitedError) as caught:
        await limiter.admit("acme", QUOTA, 1)
    assert "Retry-After" not in caught.value.headers
    assert caught.value.headers["RateLimit-Policy"] == '"cost";q=50'


async def test_measure_mode_never_refuses_but_reports(store_backend: StoreBackend) -> None:
    limiter = _limiter(store_backend)
    measured = QUOTA.model_copy(update={"mode": "measure"})
    await limiter.admit("acme", measured, 50)
    over = await limiter.admit("acme", measured, 20)
    assert (over.over_budget, over.charged) == (True, 0)
    huge = await limiter.admit("acme", measured, 10_000)
    assert huge.over_maximum and huge.over_budget


async def test_the_actual_cost_refunds_the_difference(store_backend: StoreBackend) -> None:
    limiter = _limiter(store_backend)
    admission = await limiter.admit("acme", QUOTA, 40)
    status = await limiter.settle(admission, 12)
    assert status is not None
    assert status.currently_available == 50 - 12
    again = await limiter.admit("acme", QUOTA, 30)
    assert again.throttle_status is not None
    assert again.throttle_status.currently_available == 50 - 12 - 30


async def test_a_larger_actual_cost_is_not_charged_after_the_fact(
    store_backend: StoreBackend,
) -> None:
    limiter = _limiter(store_backend)
    admission = await limiter.admit("acme", QUOTA, 10)
    status = await limiter.settle(admission, 35)
    assert status is not None
    assert status.currently_available == 40


async def test_a_background_refund_lands_after_the_response(store_backend: StoreBackend) -> None:
    limiter = _limiter(store_backend)
    admission = await limiter.admit("acme", QUOTA, 40)
    status = await limiter.settle(admission, 0, background=True)
    assert status is not None
    assert status.currently_available == 50
    await limiter.aclose()
    after = await _limiter(store_backend).admit("acme", QUOTA, 0)
    assert after.throttle_status is not None
    assert after.throttle_status.currently_available == 50


async def test_a_batch_cannot_bypass_the_budget(store_backend: StoreBackend) -> None:
    """Each entry of a batch is admitted on its own: five entries of 15 against 50 -> 3 pass."""
    limiter = _limiter(store_backend)
    outcomes = []
    for _entry in range(5):
        try:
            await limiter.admit("acme", QUOTA, 15)
            outcomes.append("ok")
        except RateLimitedError as error:
            outcomes.append(error.code)
    assert outcomes == ["ok", "ok", "ok", RATE_LIMITED, RATE_LIMITED]


async def test_200_concurrent_requests_with_budget_for_50_admit_exactly_50(
    store_backend: StoreBackend,
) -> None:
    limiters = [_limiter(store_backend, replica=index) for index in range(4)]

    async def one(index: int) -> bool:
        try:
            await limiters[index % 4].admit("shared", QUOTA, 1)
        except RateLimitedError:
            return False
        return True

    outcomes = await asyncio.gather(*(one(index) for index in range(200)))
    assert sum(outcomes) == 50


async def test_a_huge_slicing_variable_in_a_persisted_operation_is_still_bounded(
    store_backend: StoreBackend,
) -> None:
    sdl = """
    directive @listSize(slicingArguments: [String!]) on FIELD_DEFINITION
    type User { name: String }
    type Query { users(max: Int): [User] @listSize(slicingArguments: ["max"]) }
    """
    query = "query Users($first: Int) { users(max: $first) { name } }"
    analyzer = CostAnalyzer.from_supergraph(load_schema(sdl))
    document = parse(query)
    key = hashlib.sha256(query.encode()).hexdigest()
    limiter = _limiter(store_backend)
    small = analyzer.estimate(key, document, None, {"first": 5})
    assert (await limiter.admit("partner", ENFORCED, small.cost)).charged == 5
    huge = analyzer.estimate(key, document, None, {"first": 999_999_999})
    assert huge.cost == 999_999_999
    with pytest.raises(CostTooExpensiveError) as caught:
        await limiter.admit("partner", ENFORCED, huge.cost)
    assert caught.value.extensions["cost.estimated"] == 999_999_999
    assert cost_extension(huge.cost, None, None)["requested"] == 999_999_999
