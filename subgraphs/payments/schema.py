"""The payments subgraph schema: queries, mutations, and the schema factory."""

from __future__ import annotations

import strawberry

from subgraphs.common.cost import PAGED
from subgraphs.common.db import utc_now
from subgraphs.common.errors import BadUserInputError
from subgraphs.common.idempotency import once_for
from subgraphs.common.ids import parse_id
from subgraphs.common.pagination import Connection, check_first
from subgraphs.common.rights import guarded_mutation, requires_scopes
from subgraphs.common.schema import SubgraphSchema, build_schema
from subgraphs.common.values import MoneyInput
from subgraphs.payments import models, services
from subgraphs.payments.domain import (
    BankTransferDetails,
    MethodDetails,
    PaymentProcessor,
    PaymentStatus,
    WalletDetails,
    WalletProvider,
    validate_card,
)
from subgraphs.payments.repository import PaymentFilter, PaymentRepository
from subgraphs.payments.types import PAYMENTS_READ, Order, Payment, PaymentsInfo

__all__ = ["Mutation", "Query", "build_payments_schema"]

#: every payment mutation (a customer may never authorize, capture, refund or void)
PAYMENTS_WRITE = requires_scopes(["payments:write"])


@strawberry.input(description="A card; only brand, last four digits and expiry are stored.")
class CardInput:
    """Card details (the number is validated with the Luhn check)."""

    number: str
    exp_month: int
    exp_year: int


@strawberry.input(description="A bank transfer.")
class BankTransferInput:
    """Bank details (only the IBAN's last four characters are stored)."""

    bank_name: str
    iban: str


@strawberry.input(description="A digital wallet.")
class WalletInput:
    """Wallet details."""

    provider: WalletProvider
    account_email: str | None = None


@strawberry.input(description="Exactly one of card, bankTransfer, wallet.")
class PaymentMethodInput:
    """How the customer pays."""

    card: CardInput | None = None
    bank_transfer: BankTransferInput | None = None
    wallet: WalletInput | None = None

    def to_details(self) -> tuple[MethodDetails, str | None]:
        """The method to store and, for cards, the number for the processor."""
        given = [m for m in (self.card, self.bank_transfer, self.wallet) if m is not None]
        if len(given) != 1:
            raise BadUserInputError(
                "give exactly one of card, bankTransfer, wallet", field="method"
            )
        if self.card is not None:
            card = self.card
            details = validate_card(card.number, card.exp_month, card.exp_year, utc_now().date())
            return details, card.number
        if self.bank_transfer is not None:
            iban = self.bank_transfer.iban.replace(" ", "")
            if len(iban) < 15 or not iban.isalnum():
                raise BadUserInputError("IBAN is not valid", field="method.bankTransfer.iban")
            return BankTransferDetails(self.bank_transfer.bank_name.strip(), iban[-4:]), None
        assert self.wallet is not None
        return WalletDetails(self.wallet.provider, self.wallet.account_email), None


@strawberry.input(description="Authorize a payment for an order.")
class AuthorizePaymentInput:
    """Input of ``authorizePayment``."""

    order_id: strawberry.ID
    amount: MoneyInput
    processor: PaymentProcessor
    method: PaymentMethodInput
    customer_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The order's customer, given by trusted callers (staff, the checkout "
        "service); a customer always pays for itself.",
    )


@strawberry.input(description="Capture an authorization.")
class CapturePaymentInput:
    """Input of ``capturePayment``; without ``amount`` the whole authorization is captured."""

    payment_id: strawberry.ID
    amount: MoneyInput | None = None


@strawberry.input(description="Refund part or all of a captured payment.")
class RefundPaymentInput:
    """Input of ``refundPayment``."""

    payment_id: strawberry.ID
    amount: MoneyInput
    reason: str | None = None


@strawberry.type
class Query:
    """Read access to payments."""

    @strawberry.federation.field(
        requires_scopes=PAYMENTS_READ,
        description="One payment by id (null when unknown, or without payments:read).",
    )
    async def payment(self, info: PaymentsInfo, id: strawberry.ID) -> Payment | None:
        payment = await info.context.loaders.payment.load(parse_id(id))
        return Payment.from_model(payment) if payment else None

    @strawberry.field(
        description="Payments, newest first (first: at most 100).", directives=[PAGED]
    )
    async def payments(
        self,
        info: PaymentsInfo,
        first: int = 20,
        after: str | None = None,
        status: PaymentStatus | None = None,
        order_id: strawberry.ID | None = None,
    ) -> Connection[Payment]:
        where = PaymentFilter(
            status=status.value if status else None,
            order_id=parse_id(order_id, "orderId") if order_id else None,
        )
        async with info.context.loaders.read_session() as session:
            page = await PaymentRepository(session, info.context.access).page(
                check_first(first), after, where
            )
        return page.map(Payment.from_model)


def _saved(info: PaymentsInfo, payment: models.Payment) -> Payment:
    info.context.loaders.forget_payment(payment)
    return Payment.from_model(payment)


@strawberry.type
class Mutation:
    """Authorize, capture, refund, void."""

    @guarded_mutation(PAYMENTS_WRITE, description="Authorize an amount through a processor.")
    async def authorize_payment(self, info: PaymentsInfo, input: AuthorizePaymentInput) -> Payment:
        method, card_number = input.method.to_details()
        command = services.AuthorizePayment(
            order_id=parse_id(input.order_id, "orderId"),
            amount=input.amount.to_value(),
            processor=input.processor,
            method=method,
            card_number=card_number,
            customer_id=parse_id(input.customer_id, "customerId") if input.customer_id else None,
        )
        return _saved(
            info,
            await services.authorize_payment(
                command, info.context.unit_of_work(once_for(info, command))
            ),
        )

    @guarded_mutation(PAYMENTS_WRITE, description="Capture at most the authorized amount.")
    async def capture_payment(self, info: PaymentsInfo, input: CapturePaymentInput) -> Payment:
        command = services.CapturePayment(
            payment_id=parse_id(input.payment_id, "paymentId"),
            amount=input.amount.to_value() if input.amount else None,
        )
        return _saved(
            info,
            await services.capture_payment(
                command, info.context.unit_of_work(once_for(info, command))
            ),
        )

    @guarded_mutation(
        PAYMENTS_WRITE, description="Refund at most what was captured and not yet refunded."
    )
    async def refund_payment(self, info: PaymentsInfo, input: RefundPaymentInput) -> Payment:
        command = services.RefundPayment(
            payment_id=parse_id(input.payment_id, "paymentId"),
            amount=input.amount.to_value(),
            reason=input.reason,
        )
        return _saved(
            info,
            await services.refund_payment(
                command, info.context.unit_of_work(once_for(info, command))
            ),
        )

    @guarded_mutation(PAYMENTS_WRITE, description="Cancel an uncaptured authorization.")
    async def void_payment(self, info: PaymentsInfo, payment_id: strawberry.ID) -> Payment:
        command = services.VoidPayment(parse_id(payment_id, "paymentId"))
        return _saved(
            info,
            await services.void_payment(
                command, info.context.unit_of_work(once_for(info, command))
            ),
        )


def build_payments_schema() -> SubgraphSchema:
    """The payments subgraph schema."""
    return build_schema(query=Query, mutation=Mutation, types=[Payment, Order])
