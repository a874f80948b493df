"""Payment rules: status machine, capture/refund limits, currencies, cards, balance due."""

from __future__ import annotations

from datetime import date

import pytest

from subgraphs.common.errors import (
    AmountExceedsAuthorizedError,
    AmountExceedsCapturedError,
    BadUserInputError,
    CurrencyMismatchError,
    IllegalStateTransitionError,
)
from subgraphs.common.values import MoneyValue
from subgraphs.payments.domain import (
    CardBrand,
    PaymentStatus,
    balance_due,
    check_capture,
    check_refund,
    check_void,
    validate_card,
)

S = PaymentStatus
TODAY = date(2026, 6, 15)


def usd(amount: int) -> MoneyValue:
    return MoneyValue(amount, "USD")


@pytest.mark.parametrize("status", list(S))
def test_capture_only_from_authorized(status: PaymentStatus) -> None:
    if status is S.AUTHORIZED:
        check_capture(status, usd(100), usd(100))
    else:
        with pytest.raises(IllegalStateTransitionError):
            check_capture(status, usd(100), usd(100))


def test_capture_limits() -> None:
    with pytest.raises(AmountExceedsAuthorizedError):
        check_capture(S.AUTHORIZED, usd(100), usd(101))
    with pytest.raises(CurrencyMismatchError):
        check_capture(S.AUTHORIZED, usd(100), MoneyValue(50, "EUR"))
    with pytest.raises(BadUserInputError):
        check_capture(S.AUTHORIZED, usd(100), usd(0))


def test_refund_limits_and_resulting_status() -> None:
    assert check_refund(S.CAPTURED, usd(100), 0, usd(40)) is S.PARTIALLY_REFUNDED
    assert check_refund(S.PARTIALLY_REFUNDED, usd(100), 40, usd(60)) is S.REFUNDED
    with pytest.raises(AmountExceedsCapturedError):
        check_refund(S.PARTIALLY_REFUNDED, usd(100), 40, usd(61))
    with pytest.raises(CurrencyMismatchError):
        check_refund(S.CAPTURED, usd(100), 0, MoneyValue(1, "GBP"))
    for status in (S.AUTHORIZED, S.REFUNDED, S.VOIDED, S.FAILED):
        with pytest.raises(IllegalStateTransitionError):
            check_refund(status, usd(100), 0, usd(1))


@pytest.mark.parametrize("status", list(S))
def test_void_only_from_authorized(status: PaymentStatus) -> None:
    if status is S.AUTHORIZED:
        check_void(status)
    else:
        with pytest.raises(IllegalStateTransitionError):
            check_void(status)


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4242424242424242", CardBrand.VISA),
        ("5555 5555 5555 4444", CardBrand.MASTERCARD),
        ("2223003122003222", CardBrand.MASTERCARD),
        ("378282246310005", CardBrand.AMEX),
        ("6011111111111117", CardBrand.OTHER),
    ],
)
def test_valid_cards(number: str, brand: CardBrand) -> None:
    details = validate_card(number, 6, 2026, TODAY)
    assert details.brand is brand
    assert details.last4 == number.replace(" ", "")[-4:]


@pytest.mark.parametrize(
    ("number", "month", "year"),
    [
        ("4242424242424241", 1, 2030),  # Luhn
        ("4242-abcd", 1, 2030),
        ("42424242", 1, 2030),  # too short
        ("4242424242424242", 13, 2030),
        ("4242424242424242", 5, 2026),  # expired last month
    ],
)
def test_invalid_cards(number: str, month: int, year: int) -> None:
    with pytest.raises(BadUserInputError):
        validate_card(number, month, year, TODAY)


def test_balance_due() -> None:
    payments = [("USD", 6_000, 1_000), ("USD", 0, 0), ("EUR", 9_999, 0)]
    assert balance_due(usd(10_000), payments) == usd(5_000)
    assert balance_due(usd(10_000), []) == usd(10_000)
