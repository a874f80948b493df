"""Per-client cost budgets: admit an operation before execution, settle it after.

Wire it before execution (after the cost estimate) and after execution::

    admission = await limiter.admit(client_id, policy, estimate.cost)  # may raise LimitError
    ...execute...
    status = await limiter.settle(admission, actual_cost)  # refunds estimate - actual
    result.extensions["cost"] = cost_extension(estimate.cost, actual_cost, status)
    result.headers.update(admission.headers())

Each operation of a batch is admitted on its own, so a batch cannot spend more than the
same operations sent one by one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import structlog

from gateway.limits.buckets import BucketOperation, BucketState, BucketStore, BucketStoreError
from gateway.limits.budget import BudgetPolicy
from gateway.limits.errors import CostTooExpensiveError, LimitError, RateLimitedError
from gateway.limits.headers import (
    ThrottleStatus,
    cost_extension,
    json_number,
    rate_limit_headers,
    retry_after_header,
)

__all__ = ["Admission", "BudgetLimiter", "BudgetUnavailableError"]

_log = structlog.get_logger(__name__)


class BudgetUnavailableError(LimitError):
    """The bucket store is unreachable and the limiter is set to fail closed."""

    code = "RATE_LIMIT_UNAVAILABLE"
    status = 503


@dataclass(frozen=True, slots=True)
class Admission:
    """An operation let through (possibly only measured) and what it was charged."""

    client_id: str
    policy: BudgetPolicy
    requested: float
    #: cost units taken from the bucket (0 when measured over budget or the store was down)
    charged: float
    #: ``True`` when the budget could not pay (refused if enforced, reported if measured)
    over_budget: bool
    #: ``True`` when the estimate was above the policy's per-operation maximum (measure mode)
    over_maximum: bool
    #: the bucket after admission, ``None`` when the store could not be reached
    state: BucketState | None

    @property
    def throttle_status(self) -> ThrottleStatus | None:
        """The bucket as ``extensions.cost.throttleStatus`` reports it."""
        return _status(self.policy, self.state)

    def headers(self) -> dict[str, str]:
        """``RateLimit-Policy`` and ``RateLimit`` for this response."""
        if self.state is None:
            return {}
        return rate_limit_headers(self.policy, self.state.tokens)


def _status(policy: BudgetPolicy, state: BucketState | None) -> ThrottleStatus | None:
    if state is None:
        return None
    return ThrottleStatus(policy.capacity, state.tokens, policy.refill_per_second)


class BudgetLimiter:
    """Charges operations to client buckets held in a :class:`BucketStore`."""

    def __init__(self, store: BucketStore, *, fail_open: bool = True) -> None:
        self._store = store
        self._fail_open = fail_open
        self._background: set[asyncio.Task[None]] = set()

    async def _apply(
        self, client_id: str, policy: BudgetPolicy, operation: BucketOperation, amount: float
    ) -> BucketState | None:
        try:
            return await self._store.apply(
                client_id,
                operation,
                amount,
                policy.capacity,
                policy.refill_per_second,
            )
        except BucketStoreError as error:
            if not self._fail_open:
                raise BudgetUnavailableError(
                    "The rate-limit store is unavailable; try again later"
                ) from error
            _log.warning(
                "bucket store unavailable; admitting", client_id=client_id, error=str(error)
            )
            return None

    async def admit(self, client_id: str, policy: BudgetPolicy, estimated_cost: float) -> Admission:
        """Charge ``estimated_cost`` to the client's bucket, or refuse.

        Raises :class:`CostTooExpensiveError` (above the per-operation maximum, before the
        bucket is touched) or :class:`RateLimitedError` (HTTP 429) when the policy enforces.
        """
        over_maximum = estimated_cost > policy.max_operation_cost
        if over_maximum and policy.enforced:
            state = await self._apply(client_id, policy, "peek", 0.0)
            raise CostTooExpensiveError(
                f"query estimated cost {_text(estimated_cost)} exceeded configured maximum "
                f"{_text(policy.max_operation_cost)}",
                extensions={
                    "cost.estimated": json_number(estimated_cost),
                    "cost.max": json_number(policy.max_operation_cost),
                },
                headers=rate_limit_headers(policy, state.tokens) if state else {},
                response_extensions={
                    "cost": cost_extension(estimated_cost, 0.0, _status(policy, state))
                },
            )
        state = await self._apply(client_id, policy, "take", estimated_cost)
        if state is None:
            return Admission(client_id, policy, estimated_cost, 0.0, False, over_maximum, None)
        if state.admitted:
            return Admission(
                client_id, policy, estimated_cost, estimated_cost, False, over_maximum, state
            )
        if policy.enforced:
            headers = rate_limit_headers(policy, state.tokens, state.retry_after_seconds)
            retry_after = retry_after_header(state.retry_after_seconds)
            extensions: dict[str, object] = {"cost.estimated": json_number(estimated_cost)}
            if retry_after is not None:
                headers["Retry-After"] = retry_after
                extensions["retryAfterSeconds"] = int(retry_after)
            raise RateLimitedError(
                f"Rate limited: the operation costs {_text(estimated_cost)} and "
                f"{_text(state.tokens)} of the budget are available",
                extensions=extensions,
                headers=headers,
                response_extensions={
                    "cost": cost_extension(estimated_cost, 0.0, _status(policy, state))
                },
            )
        _log.info("over budget (measured)", client_id=client_id, cost=estimated_cost)
        return Admission(client_id, policy, estimated_cost, 0.0, True, over_maximum, state)

    async def current_headers(self, client_id: str, policy: BudgetPolicy) -> dict[str, str]:
        """``RateLimit-Policy`` and ``RateLimit`` of a bucket as it is now, charging nothing
        (for a response that did not pass admission, such as an idempotent replay); empty when
        the store cannot be reached."""
        try:
            state = await self._apply(client_id, policy, "peek", 0.0)
        except LimitError:
            return {}
        if state is None:
            return {}
        return rate_limit_headers(policy, state.tokens)

    async def settle(
        self, admission: Admission, actual_cost: float | None, *, background: bool = False
    ) -> ThrottleStatus | None:
        """Refund what the operation was charged beyond its actual cost.

        With ``background=True`` the refund runs as a task (no round trip before the response)
        and the returned status is computed locally from the admission.
        """
        refund = admission.charged - min(actual_cost or 0.0, admission.charged)
        if refund <= 0 or admission.state is None:
            return admission.throttle_status
        if background:
            task = asyncio.create_task(self._refund(admission, refund))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            local = min(admission.policy.capacity, admission.state.tokens + refund)
            return ThrottleStatus(
                admission.policy.capacity, local, admission.policy.refill_per_second
            )
        state = await self._apply(admission.client_id, admission.policy, "refund", refund)
        return _status(admission.policy, state) or admission.throttle_status

    async def _refund(self, admission: Admission, refund: float) -> None:
        try:
            await self._apply(admission.client_id, admission.policy, "refund", refund)
        except LimitError as error:
            _log.warning("refund lost", client_id=admission.client_id, error=error.message)

    async def aclose(self) -> None:
        """Wait for background refunds, then close the store."""
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
        await self._store.aclose()


def _text(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.3f}"
