"""The circuit breaker's state machine, the retry budget and the backoff, on a fake clock."""

from __future__ import annotations

import pytest
from fake_clock import FakeClock
from structlog.testing import capture_logs

from gateway.execution.breaker import CircuitBreaker, CircuitState
from gateway.execution.retry import RetryBudget, full_jitter_backoff


def _breaker(clock: FakeClock, threshold: int = 3, open_seconds: float = 10) -> CircuitBreaker:
    return CircuitBreaker(
        "ledger", failure_threshold=threshold, open_seconds=open_seconds, clock=clock
    )


def test_consecutive_failures_open_the_circuit_and_a_success_resets_the_count() -> None:
    breaker = _breaker(FakeClock())
    breaker.failure()
    breaker.failure()
    breaker.success()  # not consecutive any more
    breaker.failure()
    breaker.failure()
    assert breaker.state is CircuitState.CLOSED
    with capture_logs() as logs:
        breaker.failure()
    assert breaker.state is CircuitState.OPEN
    assert breaker.opened == 1
    assert logs[0]["event"] == "subgraph circuit open: failing fast"
    assert logs[0]["subgraph"] == "ledger"


def test_an_open_circuit_fails_fast_until_the_cool_down_ends() -> None:
    clock = FakeClock()
    breaker = _breaker(clock, threshold=1, open_seconds=10)
    breaker.failure()
    assert not breaker.allow()
    clock.advance(9.9)
    assert not breaker.allow()
    clock.advance(0.1)
    assert breaker.allow()  # the probe
    assert breaker.state is CircuitState.HALF_OPEN


def test_half_open_lets_exactly_one_probe_through() -> None:
    clock = FakeClock()
    breaker = _breaker(clock, threshold=1)
    breaker.failure()
    clock.advance(10)
    assert breaker.allow()
    assert not breaker.allow()
    assert not breaker.allow()


def test_a_successful_probe_closes_the_circuit() -> None:
    clock = FakeClock()
    breaker = _breaker(clock, threshold=2)
    breaker.failure()
    breaker.failure()
    clock.advance(10)
    assert breaker.allow()
    breaker.success()
    assert breaker.state is CircuitState.CLOSED
    assert breaker.allow()
    breaker.failure()  # the count starts again from zero
    assert breaker.state is CircuitState.CLOSED


def test_a_failed_probe_opens_the_circuit_for_another_cool_down() -> None:
    clock = FakeClock()
    breaker = _breaker(clock, threshold=1, open_seconds=10)
    breaker.failure()
    clock.advance(10)
    assert breaker.allow()
    breaker.failure()
    assert breaker.state is CircuitState.OPEN
    assert breaker.opened == 2
    clock.advance(9)
    assert not breaker.allow()
    clock.advance(1)
    assert breaker.allow()


def test_a_cancelled_probe_lets_the_next_call_probe() -> None:
    clock = FakeClock()
    breaker = _breaker(clock, threshold=1)
    breaker.failure()
    clock.advance(10)
    assert breaker.allow()
    breaker.release()
    assert breaker.allow()


def test_an_answer_to_a_call_made_before_the_circuit_opened_keeps_it_open() -> None:
    breaker = _breaker(FakeClock(), threshold=1)
    breaker.failure()
    breaker.success()
    assert breaker.state is CircuitState.OPEN


def test_the_budget_allows_about_the_ratio_of_fetches_plus_the_burst() -> None:
    budget = RetryBudget(ratio=0.2, min_per_second=0, burst=2, clock=FakeClock())
    assert budget.withdraw()
    assert budget.withdraw()
    assert not budget.withdraw()  # the saved-up retries are spent
    allowed = 0
    for _ in range(100):
        budget.deposit()
        if budget.withdraw():
            allowed += 1
    assert 19 <= allowed <= 20  # 20 % of the fetches (floating-point sums may lose the last)


def test_the_budget_never_saves_more_than_the_burst() -> None:
    budget = RetryBudget(ratio=0.5, min_per_second=0, burst=3, clock=FakeClock())
    for _ in range(100):
        budget.deposit()
    assert [budget.withdraw() for _ in range(4)] == [True, True, True, False]


def test_the_minimum_is_earned_over_time_without_traffic() -> None:
    clock = FakeClock()
    budget = RetryBudget(ratio=0.0, min_per_second=1.0, burst=5, clock=clock)
    for _ in range(5):
        assert budget.withdraw()
    assert not budget.withdraw()
    clock.advance(2)
    assert budget.withdraw()
    assert budget.withdraw()
    assert not budget.withdraw()
    clock.advance(1000)
    assert sum(budget.withdraw() for _ in range(10)) == 5  # capped by the burst


def test_a_refund_gives_the_retry_back() -> None:
    budget = RetryBudget(ratio=0.0, min_per_second=0, burst=1, clock=FakeClock())
    assert budget.withdraw()
    budget.refund()
    assert budget.withdraw()


@pytest.mark.parametrize(
    ("retry", "ceiling"), [(1, 0.05), (2, 0.1), (3, 0.2), (5, 0.8), (6, 1.0), (60, 1.0)]
)
def test_full_jitter_backoff_grows_exponentially_up_to_the_cap(retry: int, ceiling: float) -> None:
    def top() -> float:
        return 1.0

    def bottom() -> float:
        return 0.0

    assert full_jitter_backoff(
        retry, base_seconds=0.05, max_seconds=1.0, draw=top
    ) == pytest.approx(ceiling)
    assert full_jitter_backoff(retry, base_seconds=0.05, max_seconds=1.0, draw=bottom) == 0.0


def test_the_breaker_refuses_nonsense_settings() -> None:
    with pytest.raises(ValueError, match="failure_threshold"):
        CircuitBreaker("x", failure_threshold=0, open_seconds=1)
