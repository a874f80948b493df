"""Budget policies, the RateLimit header values, extensions.cost, and an unreachable store."""

from __future__ import annotations

import pydantic
import pytest
from redis.asyncio import Redis

from gateway.limits.budget import BudgetPolicy
from gateway.limits.headers import (
    ThrottleStatus,
    cost_extension,
    rate_limit_headers,
    retry_after_header,
)
from gateway.limits.limiter import BudgetLimiter, BudgetUnavailableError
from gateway.limits.redis_buckets import RedisBucketStore


def test_the_per_operation_maximum_must_fit_the_bucket() -> None:
    with pytest.raises(pydantic.ValidationError, match="exceeds the capacity"):
        BudgetPolicy(capacity=100, max_operation_cost=101)


def test_unknown_budget_keys_are_rejected() -> None:
    with pytest.raises(pydantic.ValidationError, match="extra_forbidden"):
        BudgetPolicy.model_validate({"capacity": 10, "max_operation_cost": 5, "burst": 3})


@pytest.mark.parametrize(
    ("policy", "tokens", "retry", "expected"),
    [
        (
            BudgetPolicy(capacity=1000, refill_per_second=50, max_operation_cost=500),
            1000,
            None,
            ('"cost";q=1000;w=20', '"cost";r=1000;t=0'),
        ),
        (
            BudgetPolicy(capacity=1000, refill_per_second=50, max_operation_cost=500),
            640.7,
            None,
            ('"cost";q=1000;w=20', '"cost";r=640;t=8'),
        ),
        (
            BudgetPolicy(capacity=1000, refill_per_second=50, max_operation_cost=500),
            12,
            9.6,
            ('"cost";q=1000;w=20', '"cost";r=12;t=10'),
        ),
        (
            BudgetPolicy(capacity=30, refill_per_second=0, max_operation_cost=30),
            4,
            None,
            ('"cost";q=30', '"cost";r=4'),
        ),
        (
            BudgetPolicy(capacity=10, refill_per_second=100, max_operation_cost=10),
            0,
            None,
            ('"cost";q=10;w=1', '"cost";r=0;t=1'),
        ),
    ],
)
def test_rate_limit_header_values(
    policy: BudgetPolicy, tokens: float, retry: float | None, expected: tuple[str, str]
) -> None:
    headers = rate_limit_headers(policy, tokens, retry)
    assert (headers["RateLimit-Policy"], headers["RateLimit"]) == expected


def test_retry_after_is_whole_seconds_and_at_least_one() -> None:
    assert retry_after_header(0.2) == "1"
    assert retry_after_header(3.01) == "4"
    assert retry_after_header(None) is None


def test_the_cost_extension_shape() -> None:
    assert cost_extension(120.0, 45.5, ThrottleStatus(1000, 880.25, 50)) == {
        "requested": 120,
        "actual": 45.5,
        "throttleStatus": {
            "maximumAvailable": 1000,
            "currentlyAvailable": 880.25,
            "restoreRate": 50,
        },
    }
    assert cost_extension(3, None, None) == {
        "requested": 3,
        "actual": None,
        "throttleStatus": None,
    }


def _unreachable_store() -> tuple[Redis, RedisBucketStore]:
    client = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    return client, RedisBucketStore(client, "unreachable")


async def test_an_unreachable_store_admits_when_failing_open() -> None:
    client, store = _unreachable_store()
    try:
        admission = await BudgetLimiter(store).admit("acme", BudgetPolicy(), 10)
        assert admission.state is None
        assert admission.headers() == {}
        assert admission.throttle_status is None
    finally:
        await client.aclose()


async def test_an_unreachable_store_refuses_with_503_when_failing_closed() -> None:
    client, store = _unreachable_store()
    try:
        with pytest.raises(BudgetUnavailableError) as caught:
            await BudgetLimiter(store, fail_open=False).admit("acme", BudgetPolicy(), 10)
        assert caught.value.to_result().status_code == 503
        assert caught.value.code == "RATE_LIMIT_UNAVAILABLE"
    finally:
        await client.aclose()
