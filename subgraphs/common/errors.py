"""Domain errors with stable codes, shared by every subgraph.

A use case raises one of these; only the GraphQL edge (:mod:`subgraphs.common.error_formatting`)
turns it into a GraphQL error whose ``extensions.code`` is :attr:`DomainError.code`. The codes are
part of the public contract (docs/domain.md): never rename one.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar

__all__ = [
    "AmountExceedsAuthorizedError",
    "AmountExceedsCapturedError",
    "BadUserInputError",
    "CurrencyMismatchError",
    "DomainError",
    "ErrorCode",
    "ForbiddenError",
    "IdempotencyKeyReusedError",
    "IllegalStateTransitionError",
    "InsufficientStockError",
    "NotFoundError",
    "OrderNotEditableError",
    "PaymentDeclinedError",
    "UnknownSkuError",
    "VersionConflictError",
]


class ErrorCode(StrEnum):
    """Every stable error code a subgraph can put in ``extensions.code``."""

    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    UNKNOWN_SKU = "UNKNOWN_SKU"
    ILLEGAL_STATE_TRANSITION = "ILLEGAL_STATE_TRANSITION"
    ORDER_NOT_EDITABLE = "ORDER_NOT_EDITABLE"
    VERSION_CONFLICT = "VERSION_CONFLICT"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    AMOUNT_EXCEEDS_AUTHORIZED = "AMOUNT_EXCEEDS_AUTHORIZED"
    AMOUNT_EXCEEDS_CAPTURED = "AMOUNT_EXCEEDS_CAPTURED"
    PAYMENT_DECLINED = "PAYMENT_DECLINED"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    FORBIDDEN = "FORBIDDEN"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class DomainError(Exception):
    """A business rule said no. ``details`` become extra ``extensions`` entries (camelCase keys)."""

    code: ClassVar[ErrorCode] = ErrorCode.BAD_USER_INPUT

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: Mapping[str, Any] = details

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code.value})"


class BadUserInputError(DomainError):
    """The input is malformed or out of range (``field`` names the offending input path)."""

    code = ErrorCode.BAD_USER_INPUT


class NotFoundError(DomainError):
    """No entity with the given id exists."""

    code = ErrorCode.NOT_FOUND

    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"{entity} {key} does not exist", entity=entity, key=str(key))


class UnknownSkuError(DomainError):
    """The sku is not in the (replicated) product catalog."""

    code = ErrorCode.UNKNOWN_SKU

    def __init__(self, sku: str) -> None:
        super().__init__(f"unknown sku {sku!r}", sku=sku)


class IllegalStateTransitionError(DomainError):
    """The entity's state machine does not allow going from ``current`` to ``target``."""

    code = ErrorCode.ILLEGAL_STATE_TRANSITION

    def __init__(self, entity: str, current: str, target: str) -> None:
        super().__init__(
            f"{entity} cannot go from {current} to {target}",
            entity=entity,
            currentStatus=current,
            targetStatus=target,
        )


class OrderNotEditableError(DomainError):
    """Lines and address can only change before fulfilment starts."""

    code = ErrorCode.ORDER_NOT_EDITABLE

    def __init__(self, order_id: object, status: str) -> None:
        super().__init__(
            f"order {order_id} is {status}: it can only be edited while PENDING or CONFIRMED",
            currentStatus=status,
        )


class VersionConflictError(DomainError):
    """Optimistic concurrency: the caller's ``expectedVersion`` is not the current version."""

    code = ErrorCode.VERSION_CONFLICT

    def __init__(self, entity: str, expected: int | None = None, actual: int | None = None) -> None:
        message = f"{entity} was modified concurrently"
        if expected is not None:
            message += f": expected version {expected}, it is {actual}"
        super().__init__(message, expectedVersion=expected, actualVersion=actual)


class InsufficientStockError(DomainError):
    """The change would make stock (available or on hand) negative."""

    code = ErrorCode.INSUFFICIENT_STOCK


class CurrencyMismatchError(DomainError):
    """Two amounts that must share a currency do not."""

    code = ErrorCode.CURRENCY_MISMATCH

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(
            f"currency {actual} does not match {expected}",
            expectedCurrency=expected,
            actualCurrency=actual,
        )


class AmountExceedsAuthorizedError(DomainError):
    """A capture above the authorized amount."""

    code = ErrorCode.AMOUNT_EXCEEDS_AUTHORIZED


class AmountExceedsCapturedError(DomainError):
    """A refund above what was captured and not yet refunded."""

    code = ErrorCode.AMOUNT_EXCEEDS_CAPTURED


class PaymentDeclinedError(DomainError):
    """The payment processor declined the operation."""

    code = ErrorCode.PAYMENT_DECLINED


class IdempotencyKeyReusedError(DomainError):
    """The ``Idempotency-Key`` was already used by another mutation or other arguments."""

    code = ErrorCode.IDEMPOTENCY_KEY_REUSED

    def __init__(self, operation: str) -> None:
        super().__init__(
            f"this Idempotency-Key was already used for another {operation} request; use a new key",
            operation=operation,
        )


class ForbiddenError(DomainError):
    """The caller may not use this operation at all (e.g. a customer importing master data)."""

    code = ErrorCode.FORBIDDEN
