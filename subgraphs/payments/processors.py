"""Payment processors behind one port; the embedded default is a deterministic simulator.

A real adapter (Stripe, Adyen, PayPal) implements :class:`ProcessorPort`. The simulator answers
every call at once, derives processor references from the payment id, and declines the card
number :data:`~subgraphs.payments.domain.DECLINED_TEST_CARD`.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from subgraphs.common.values import MoneyValue
from subgraphs.payments.domain import DECLINED_TEST_CARD, PaymentProcessor

__all__ = [
    "ProcessorDecision",
    "ProcessorPort",
    "SimulatedProcessor",
    "simulated_processors",
    "simulated_reference",
]

_PREFIXES: Mapping[PaymentProcessor, str] = {
    PaymentProcessor.STRIPE: "pi_",
    PaymentProcessor.ADYEN: "psp_",
    PaymentProcessor.PAYPAL: "PAY-",
}


def simulated_reference(processor: PaymentProcessor, *parts: object) -> str:
    """The simulator's processor reference for an operation (deterministic)."""
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()[:24]
    return f"{_PREFIXES[processor]}{digest}"


@dataclass(frozen=True, slots=True)
class ProcessorDecision:
    """A processor's answer: approved with a reference, or declined with a reason."""

    approved: bool
    reference: str
    decline_reason: str | None = None


class ProcessorPort(Protocol):
    """Authorize, capture, refund and void through one payment processor."""

    async def authorize(
        self, payment_id: uuid.UUID, amount: MoneyValue, card_number: str | None
    ) -> ProcessorDecision:
        """Reserve ``amount`` on the customer's method."""
        ...

    async def capture(self, reference: str, amount: MoneyValue) -> ProcessorDecision:
        """Take ``amount`` of an authorization."""
        ...

    async def refund(
        self, reference: str, refund_id: uuid.UUID, amount: MoneyValue
    ) -> ProcessorDecision:
        """Give ``amount`` back."""
        ...

    async def void(self, reference: str) -> ProcessorDecision:
        """Cancel an uncaptured authorization."""
        ...


class SimulatedProcessor:
    """A deterministic in-process stand-in for one processor."""

    def __init__(self, processor: PaymentProcessor) -> None:
        self.processor = processor

    def _reference(self, *parts: object) -> str:
        return simulated_reference(self.processor, *parts)

    async def authorize(
        self, payment_id: uuid.UUID, amount: MoneyValue, card_number: str | None
    ) -> ProcessorDecision:
        """Approve, unless the card is the documented decline test card."""
        reference = self._reference("authorize", payment_id)
        if card_number is not None and card_number.replace(" ", "") == DECLINED_TEST_CARD:
            return ProcessorDecision(False, reference, "card_declined")
        return ProcessorDecision(True, reference)

    async def capture(self, reference: str, amount: MoneyValue) -> ProcessorDecision:
        """Always approved."""
        return ProcessorDecision(True, reference)

    async def refund(
        self, reference: str, refund_id: uuid.UUID, amount: MoneyValue
    ) -> ProcessorDecision:
        """Always approved, with a reference of its own."""
        return ProcessorDecision(True, self._reference("refund", reference, refund_id))

    async def void(self, reference: str) -> ProcessorDecision:
        """Always approved."""
        return ProcessorDecision(True, reference)


def simulated_processors() -> dict[PaymentProcessor, ProcessorPort]:
    """One simulator per processor (the embedded default)."""
    return {processor: SimulatedProcessor(processor) for processor in PaymentProcessor}
