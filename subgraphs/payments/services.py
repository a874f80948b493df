"""Use cases of the payments subgraph; each runs in one unit of work and changes nothing on error.

Processors are adapters reached through the unit of work, like repositories. The processor is
asked before anything is written; a decline raises ``PAYMENT_DECLINED`` and stores nothing.

With an idempotency key each use case happens once per key (a repeat returns the payment the
first execution saved), and the ids sent to the processor (payment, refund) are derived from the
key, so a retry after a crash before our commit asks the processor about the same operation
again rather than a new one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.common.db import utc_now
from subgraphs.common.errors import BadUserInputError, NotFoundError, PaymentDeclinedError
from subgraphs.common.ownership import owner_for_new
from subgraphs.common.uow import UnitOfWork
from subgraphs.common.values import MoneyValue
from subgraphs.payments import domain
from subgraphs.payments.domain import (
    BankTransferDetails,
    CardDetails,
    MethodDetails,
    PaymentMethodKind,
    PaymentProcessor,
    PaymentStatus,
    WalletDetails,
)
from subgraphs.payments.models import IdempotencyKey, Payment, Refund
from subgraphs.payments.processors import ProcessorPort
from subgraphs.payments.repository import PaymentRepository

__all__ = [
    "AuthorizePayment",
    "CapturePayment",
    "PaymentsUnitOfWork",
    "RefundPayment",
    "VoidPayment",
    "authorize_payment",
    "capture_payment",
    "refund_payment",
    "void_payment",
]


_KEYED_IDS = uuid.UUID("0f4cbb0e-6f1b-4d0c-9a55-5a4f1d1f3c21")


class PaymentsUnitOfWork(UnitOfWork):
    """The payments database's unit of work, with the processor adapters."""

    idempotency_model = IdempotencyKey
    payments: PaymentRepository

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        processors: Mapping[PaymentProcessor, ProcessorPort],
    ) -> None:
        super().__init__(sessions)
        self.processors = processors

    def bind_repositories(self, session: AsyncSession) -> None:
        """Bind the repository to the transaction's session."""
        self.payments = PaymentRepository(session, self.access)

    def new_id(self, purpose: str) -> uuid.UUID:
        """A new id, derived from the idempotency key when there is one (stable on retries)."""
        if self.once is None:
            return uuid.uuid4()
        return uuid.uuid5(_KEYED_IDS, f"{purpose}:{self.once.key}")


@dataclass(frozen=True, slots=True)
class AuthorizePayment:
    """Authorize ``amount`` for an order through a processor."""

    order_id: uuid.UUID
    amount: MoneyValue
    processor: PaymentProcessor
    method: MethodDetails
    card_number: str | None = None
    #: the order's customer, as a trusted caller says (see ``owner_for_new``)
    customer_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class CapturePayment:
    """Capture an authorization (all of it when ``amount`` is None)."""

    payment_id: uuid.UUID
    amount: MoneyValue | None = None


@dataclass(frozen=True, slots=True)
class RefundPayment:
    """Give back part or all of what was captured."""

    payment_id: uuid.UUID
    amount: MoneyValue
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class VoidPayment:
    """Cancel an uncaptured authorization."""

    payment_id: uuid.UUID


def _method_columns(method: MethodDetails) -> dict[str, object]:
    match method:
        case CardDetails():
            return {
                "method_kind": PaymentMethodKind.CARD.value,
                "card_brand": method.brand.value,
                "card_last4": method.last4,
                "card_exp_month": method.exp_month,
                "card_exp_year": method.exp_year,
            }
        case BankTransferDetails():
            return {
                "method_kind": PaymentMethodKind.BANK_TRANSFER.value,
                "bank_name": method.bank_name,
                "iban_last4": method.iban_last4,
            }
        case WalletDetails():
            return {
                "method_kind": PaymentMethodKind.WALLET.value,
                "wallet_provider": method.provider.value,
                "wallet_account_email": method.account_email,
            }


async def _locked(uow: PaymentsUnitOfWork, payment_id: uuid.UUID) -> Payment:
    payment = await uow.payments.get_for_update(payment_id)
    if payment is None:
        raise NotFoundError("payment", payment_id)
    return payment


async def _original(uow: PaymentsUnitOfWork, result_id: str) -> Payment:
    """The payment an earlier execution with the same idempotency key saved (the read-only
    transaction is committed, so the loaded payment stays usable)."""
    payment = await _locked(uow, uuid.UUID(result_id))
    await uow.commit()
    return payment


async def _new_owner(uow: PaymentsUnitOfWork, command: AuthorizePayment) -> uuid.UUID | None:
    """Who will own the payment; a customer cannot pay for a foreign order (``NOT_FOUND``)."""
    async with uow:
        known = await uow.payments.owners_of_order(command.order_id)
    try:
        return owner_for_new(uow.access, command.customer_id, known)
    except LookupError as exc:
        raise NotFoundError("order", command.order_id) from exc
    except ValueError as exc:
        raise BadUserInputError(str(exc), field="customerId") from exc


async def authorize_payment(command: AuthorizePayment, uow: PaymentsUnitOfWork) -> Payment:
    """Ask the processor; store an AUTHORIZED payment when it approves."""
    if command.amount.amount <= 0:
        raise BadUserInputError("amount must be positive", field="amount")
    owner = await _new_owner(uow, command)
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original(uow, done)
        payment_id = uow.new_id("payment")
        decision = await uow.processors[command.processor].authorize(
            payment_id, command.amount, command.card_number
        )
        if not decision.approved:
            raise PaymentDeclinedError(
                f"{command.processor.value} declined the authorization",
                processor=command.processor.value,
                reason=decision.decline_reason,
            )
        now = utc_now()
        payment = Payment(
            id=payment_id,
            order_id=command.order_id,
            customer_id=owner,
            amount=command.amount.amount,
            currency=command.amount.currency,
            captured_amount=0,
            refunded_amount=0,
            processor=command.processor.value,
            status=PaymentStatus.AUTHORIZED.value,
            processor_reference=decision.reference,
            created_at=now,
            updated_at=now,
            **_method_columns(command.method),
        )
        uow.payments.add(payment)
        uow.record(payment.id)
        await uow.commit()
    return payment


async def capture_payment(command: CapturePayment, uow: PaymentsUnitOfWork) -> Payment:
    """AUTHORIZED -> CAPTURED, for at most the authorized amount."""
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original(uow, done)
        payment = await _locked(uow, command.payment_id)
        authorized = MoneyValue(payment.amount, payment.currency)
        amount = command.amount or authorized
        domain.check_capture(PaymentStatus(payment.status), authorized, amount)
        processor = uow.processors[PaymentProcessor(payment.processor)]
        decision = await processor.capture(payment.processor_reference, amount)
        if not decision.approved:
            raise PaymentDeclinedError("the processor declined the capture")
        payment.captured_amount = amount.amount
        payment.status = PaymentStatus.CAPTURED.value
        payment.updated_at = utc_now()
        uow.record(payment.id)
        await uow.commit()
    return payment


async def refund_payment(command: RefundPayment, uow: PaymentsUnitOfWork) -> Payment:
    """Refund at most what is left of the captured amount."""
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original(uow, done)
        payment = await _locked(uow, command.payment_id)
        status = domain.check_refund(
            PaymentStatus(payment.status),
            MoneyValue(payment.captured_amount, payment.currency),
            payment.refunded_amount,
            command.amount,
        )
        refund_id = uow.new_id("refund")
        processor = uow.processors[PaymentProcessor(payment.processor)]
        decision = await processor.refund(payment.processor_reference, refund_id, command.amount)
        if not decision.approved:
            raise PaymentDeclinedError("the processor declined the refund")
        now = utc_now()
        uow.payments.add(
            Refund(
                id=refund_id,
                payment_id=payment.id,
                amount=command.amount.amount,
                reason=(command.reason or "").strip()[:500] or None,
                processor_reference=decision.reference,
                created_at=now,
            )
        )
        payment.refunded_amount += command.amount.amount
        payment.status = status.value
        payment.updated_at = now
        uow.record(payment.id)
        await uow.commit()
    return payment


async def void_payment(command: VoidPayment, uow: PaymentsUnitOfWork) -> Payment:
    """AUTHORIZED -> VOIDED."""
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original(uow, done)
        payment = await _locked(uow, command.payment_id)
        domain.check_void(PaymentStatus(payment.status))
        processor = uow.processors[PaymentProcessor(payment.processor)]
        decision = await processor.void(payment.processor_reference)
        if not decision.approved:
            raise PaymentDeclinedError("the processor declined the void")
        payment.status = PaymentStatus.VOIDED.value
        payment.updated_at = utc_now()
        uow.record(payment.id)
        await uow.commit()
    return payment
