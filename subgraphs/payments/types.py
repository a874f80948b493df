"""Strawberry types of the payments subgraph.

Entities: Payment (id) and Order, owned by orders, extended with ``payments`` and ``balanceDue``
(which ``@requires`` the order's ``total``). A payment's method is the union
``PaymentMethod = CardPayment | BankTransferPayment | WalletPayment``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, TypeAlias

import strawberry

from subgraphs.common.context import SubgraphContext
from subgraphs.common.cost import assumed
from subgraphs.common.errors import BadUserInputError
from subgraphs.common.ids import parse_id_or_none
from subgraphs.common.values import Money, MoneyValue
from subgraphs.payments import domain, models
from subgraphs.payments.domain import (
    CardBrand,
    PaymentMethodKind,
    PaymentProcessor,
    PaymentStatus,
    WalletProvider,
)
from subgraphs.payments.loaders import PaymentsLoaders
from subgraphs.payments.services import PaymentsUnitOfWork

__all__ = [
    "PAYMENTS_READ",
    "BankTransferPayment",
    "CardPayment",
    "Order",
    "Payment",
    "PaymentMethod",
    "PaymentsContext",
    "PaymentsInfo",
    "Refund",
    "WalletPayment",
]

PaymentsContext: TypeAlias = SubgraphContext[PaymentsLoaders, PaymentsUnitOfWork]
PaymentsInfo: TypeAlias = strawberry.Info[PaymentsContext, None]

strawberry.enum(PaymentStatus, description="Where a payment is in its life.")
strawberry.enum(PaymentProcessor, description="Who moves the money.")
strawberry.enum(CardBrand, description="Card network.")
strawberry.enum(WalletProvider, description="Digital wallet.")


@strawberry.type(description="Paid by card; only brand, last four digits and expiry are kept.")
class CardPayment:
    """GraphQL ``CardPayment``."""

    brand: CardBrand
    last4: str
    exp_month: int
    exp_year: int


@strawberry.type(description="Paid by bank transfer.")
class BankTransferPayment:
    """GraphQL ``BankTransferPayment``."""

    bank_name: str
    iban_last4: str


@strawberry.type(description="Paid with a digital wallet.")
class WalletPayment:
    """GraphQL ``WalletPayment``."""

    provider: WalletProvider
    account_email: str | None


PaymentMethod = Annotated[
    CardPayment | BankTransferPayment | WalletPayment,
    strawberry.union("PaymentMethod", description="How the customer paid."),
]


def _method(payment: models.Payment) -> CardPayment | BankTransferPayment | WalletPayment:
    kind = PaymentMethodKind(payment.method_kind)
    if kind is PaymentMethodKind.CARD:
        return CardPayment(
            brand=CardBrand(payment.card_brand or CardBrand.OTHER.value),
            last4=payment.card_last4 or "",
            exp_month=payment.card_exp_month or 0,
            exp_year=payment.card_exp_year or 0,
        )
    if kind is PaymentMethodKind.BANK_TRANSFER:
        return BankTransferPayment(
            bank_name=payment.bank_name or "", iban_last4=payment.iban_last4 or ""
        )
    return WalletPayment(
        provider=WalletProvider(payment.wallet_provider or WalletProvider.PAYPAL.value),
        account_email=payment.wallet_account_email,
    )


@strawberry.type(description="Money given back on a captured payment.")
class Refund:
    """GraphQL ``Refund``."""

    id: strawberry.ID
    amount: Money
    reason: str | None
    processor_reference: str
    created_at: datetime


#: what reading payment details takes at the gateway (docs/security.md)
PAYMENTS_READ = [["payments:read"]]


@strawberry.federation.type(keys=["id"], description="A payment of an order.")
class Payment:
    """GraphQL ``Payment``."""

    id: strawberry.ID
    amount: Money = strawberry.field(description="The authorized amount.")
    captured_amount: Money
    refunded_amount: Money
    processor: PaymentProcessor
    method: PaymentMethod
    status: PaymentStatus
    processor_reference: str
    failure_reason: str | None
    created_at: datetime
    updated_at: datetime
    order_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, payment: models.Payment) -> Payment:
        """Build from a row."""
        currency = payment.currency
        return cls(
            id=strawberry.ID(str(payment.id)),
            amount=Money.of(payment.amount, currency),
            captured_amount=Money.of(payment.captured_amount, currency),
            refunded_amount=Money.of(payment.refunded_amount, currency),
            processor=PaymentProcessor(payment.processor),
            method=_method(payment),
            status=PaymentStatus(payment.status),
            processor_reference=payment.processor_reference,
            failure_reason=payment.failure_reason,
            created_at=payment.created_at,
            updated_at=payment.updated_at,
            order_id=str(payment.order_id),
        )

    @classmethod
    async def resolve_reference(cls, info: PaymentsInfo, id: strawberry.ID) -> Payment | None:
        """Entity resolution by id (``null`` for an unknown id)."""
        payment_id = parse_id_or_none(id)
        if payment_id is None:
            return None
        payment = await info.context.loaders.payment.load(payment_id)
        return cls.from_model(payment) if payment else None

    @strawberry.field(description="The order paid for (owned by orders).")
    def order(self) -> Order:
        return Order(id=strawberry.ID(self.order_id), total_value=None)

    @strawberry.field(description="Refunds of this payment, oldest first.", directives=[assumed(3)])
    async def refunds(self, info: PaymentsInfo) -> list[Refund]:
        payment_id = parse_id_or_none(self.id)
        assert payment_id is not None
        found = await info.context.loaders.refunds_of_payment.load(payment_id)
        return [
            Refund(
                id=strawberry.ID(str(refund.id)),
                amount=Money.of(refund.amount, self.amount.currency),
                reason=refund.reason,
                processor_reference=refund.processor_reference,
                created_at=refund.created_at,
            )
            for refund in found
        ]


def _total(representation: Any) -> MoneyValue | None:
    if representation is None:
        return None
    try:
        return MoneyValue(int(representation["amount"]), str(representation["currency"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise BadUserInputError("Order.total must be { amount currency }", field="total") from exc


@strawberry.federation.type(keys=["id"])
class Order:
    """The orders subgraph's ``Order``, extended with its payments and balance due."""

    id: strawberry.ID
    total_value: strawberry.Private[MoneyValue | None]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, total: Any = None) -> Order:
        """Any order id is accepted: orders owns orders; ``total`` comes with @requires."""
        return cls(id=id, total_value=_total(total))

    @strawberry.federation.field(external=True)
    def total(self) -> Money:
        value = self._required_total()
        return Money.of(value.amount, value.currency)

    @strawberry.federation.field(
        requires_scopes=PAYMENTS_READ,
        description="Payments of the order, oldest first (null without payments:read).",
        directives=[assumed(3)],
    )
    async def payments(self, info: PaymentsInfo) -> list[Payment] | None:
        order_id = parse_id_or_none(self.id)
        if order_id is None:
            return []
        found = await info.context.loaders.payments_of_order.load(order_id)
        return [Payment.from_model(payment) for payment in found]

    @strawberry.federation.field(
        requires=["total { amount currency }"],
        requires_scopes=PAYMENTS_READ,
        description="total - captured + refunded, over payments in the order's currency "
        "(null without payments:read).",
    )
    async def balance_due(self, info: PaymentsInfo) -> Money | None:
        total = self._required_total()
        order_id = parse_id_or_none(self.id)
        found = await info.context.loaders.payments_of_order.load(order_id) if order_id else []
        due = domain.balance_due(
            total, ((p.currency, p.captured_amount, p.refunded_amount) for p in found)
        )
        return Money.of(due.amount, due.currency)

    def _required_total(self) -> MoneyValue:
        if self.total_value is None:
            raise BadUserInputError(
                "Order.total must be in the representation (@requires)", field="total"
            )
        return self.total_value
