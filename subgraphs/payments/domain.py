"""The rules of payments, free of I/O: status machine, amounts, payment methods, balance due.

Status machine::

    AUTHORIZED ─capture─▶ CAPTURED ─refund─▶ PARTIALLY_REFUNDED ─refund─▶ REFUNDED
        │                     └───────────refund (all)──────────────────────▲
        └─void─▶ VOIDED                  (FAILED: a declined attempt, final)

No capture above the authorized amount, no refund above what was captured and not yet refunded,
and every amount must be in the payment's currency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from subgraphs.common.errors import (
    AmountExceedsAuthorizedError,
    AmountExceedsCapturedError,
    BadUserInputError,
    CurrencyMismatchError,
    IllegalStateTransitionError,
)
from subgraphs.common.values import MoneyValue

__all__ = [
    "DECLINED_TEST_CARD",
    "BankTransferDetails",
    "CardBrand",
    "CardDetails",
    "MethodDetails",
    "PaymentMethodKind",
    "PaymentProcessor",
    "PaymentStatus",
    "WalletDetails",
    "WalletProvider",
    "balance_due",
    "check_capture",
    "check_refund",
    "check_void",
    "validate_card",
]

#: A card number every simulated processor declines (Stripe's documented decline test card).
DECLINED_TEST_CARD = "4000000000000002"


class PaymentStatus(StrEnum):
    """Where a payment is in its life."""

    AUTHORIZED = "AUTHORIZED"
    CAPTURED = "CAPTURED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"
    VOIDED = "VOIDED"
    FAILED = "FAILED"


class PaymentProcessor(StrEnum):
    """Who moves the money."""

    STRIPE = "STRIPE"
    ADYEN = "ADYEN"
    PAYPAL = "PAYPAL"


class PaymentMethodKind(StrEnum):
    """How the customer pays."""

    CARD = "CARD"
    BANK_TRANSFER = "BANK_TRANSFER"
    WALLET = "WALLET"


class CardBrand(StrEnum):
    """Card network, from the number's prefix."""

    VISA = "VISA"
    MASTERCARD = "MASTERCARD"
    AMEX = "AMEX"
    OTHER = "OTHER"


class WalletProvider(StrEnum):
    """Digital wallets."""

    APPLE_PAY = "APPLE_PAY"
    GOOGLE_PAY = "GOOGLE_PAY"
    PAYPAL = "PAYPAL"


@dataclass(frozen=True, slots=True)
class CardDetails:
    """What is kept of a card (never the full number)."""

    brand: CardBrand
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True, slots=True)
class BankTransferDetails:
    """What is kept of a bank account."""

    bank_name: str
    iban_last4: str


@dataclass(frozen=True, slots=True)
class WalletDetails:
    """What is kept of a wallet payment."""

    provider: WalletProvider
    account_email: str | None


MethodDetails = CardDetails | BankTransferDetails | WalletDetails


def _luhn_valid(number: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _brand(number: str) -> CardBrand:
    if number.startswith("4"):
        return CardBrand.VISA
    if number[:2] in ("34", "37"):
        return CardBrand.AMEX
    if 51 <= int(number[:2]) <= 55 or 2221 <= int(number[:4]) <= 2720:
        return CardBrand.MASTERCARD
    return CardBrand.OTHER


def validate_card(number: str, exp_month: int, exp_year: int, today: date) -> CardDetails:
    """Check a card (digits, Luhn, expiry) and keep only brand, last four digits and expiry."""
    digits = re.sub(r"[\s-]", "", number)
    if not digits.isdigit() or not 12 <= len(digits) <= 19 or not _luhn_valid(digits):
        raise BadUserInputError("card number is not valid", field="method.card.number")
    if not 1 <= exp_month <= 12:
        raise BadUserInputError("expiry month must be 1 to 12", field="method.card.expMonth")
    if (exp_year, exp_month) < (today.year, today.month):
        raise BadUserInputError("the card has expired", field="method.card.expYear")
    return CardDetails(_brand(digits), digits[-4:], exp_month, exp_year)


def _check_amount(amount: MoneyValue, currency: str) -> None:
    if amount.amount <= 0:
        raise BadUserInputError(f"amount must be positive, got {amount.amount}", field="amount")
    if amount.currency != currency:
        raise CurrencyMismatchError(expected=currency, actual=amount.currency)


def check_capture(status: PaymentStatus, authorized: MoneyValue, amount: MoneyValue) -> None:
    """An AUTHORIZED payment captures once, at most the authorized amount."""
    if status is not PaymentStatus.AUTHORIZED:
        raise IllegalStateTransitionError("payment", status.value, PaymentStatus.CAPTURED.value)
    _check_amount(amount, authorized.currency)
    if amount.amount > authorized.amount:
        raise AmountExceedsAuthorizedError(
            f"cannot capture {amount.amount}: only {authorized.amount} was authorized",
            authorized=authorized.amount,
            requested=amount.amount,
        )


def check_refund(
    status: PaymentStatus, captured: MoneyValue, refunded: int, amount: MoneyValue
) -> PaymentStatus:
    """Refund at most what was captured and not yet refunded; returns the new status."""
    if status not in (PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED):
        raise IllegalStateTransitionError("payment", status.value, PaymentStatus.REFUNDED.value)
    _check_amount(amount, captured.currency)
    refundable = captured.amount - refunded
    if amount.amount > refundable:
        raise AmountExceedsCapturedError(
            f"cannot refund {amount.amount}: only {refundable} of the captured amount is left",
            refundable=refundable,
            requested=amount.amount,
        )
    if amount.amount == refundable:
        return PaymentStatus.REFUNDED
    return PaymentStatus.PARTIALLY_REFUNDED


def check_void(status: PaymentStatus) -> None:
    """Only an uncaptured authorization can be voided."""
    if status is not PaymentStatus.AUTHORIZED:
        raise IllegalStateTransitionError("payment", status.value, PaymentStatus.VOIDED.value)


def balance_due(total: MoneyValue, payments: Iterable[tuple[str, int, int]]) -> MoneyValue:
    """``total - captured + refunded`` over payments ``(currency, captured, refunded)``.

    Payments in another currency than the order's total do not count.
    """
    settled = sum(
        captured - refunded
        for currency, captured, refunded in payments
        if currency == total.currency
    )
    return MoneyValue(total.amount - settled, total.currency)
