"""Value types every subgraph shares (``@shareable``): Money, Address, PageInfo, and their inputs.

Money is an integer amount in minor units plus an ISO-4217 currency code; never a float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import strawberry

from subgraphs.common.errors import BadUserInputError

__all__ = [
    "Address",
    "AddressInput",
    "AddressValue",
    "Money",
    "MoneyInput",
    "MoneyValue",
    "PageInfo",
    "check_currency",
]

_CURRENCY = re.compile(r"^[A-Z]{3}$")


def check_currency(currency: str, field: str = "currency") -> str:
    """Return ``currency`` if it looks like an ISO-4217 code, else raise ``BAD_USER_INPUT``."""
    if not _CURRENCY.match(currency):
        raise BadUserInputError(f"{currency!r} is not an ISO-4217 currency code", field=field)
    return currency


@dataclass(frozen=True, slots=True)
class MoneyValue:
    """An amount of money in minor units (domain value, not a GraphQL type)."""

    amount: int
    currency: str


@dataclass(frozen=True, slots=True)
class AddressValue:
    """A postal address (domain value, not a GraphQL type)."""

    line1: str
    city: str
    postal_code: str
    country: str
    line2: str | None = None
    region: str | None = None


@strawberry.federation.type(shareable=True, description="An amount in minor units (cents).")
class Money:
    """GraphQL ``Money``: ``amount`` in minor units, ``currency`` an ISO-4217 code."""

    amount: int
    currency: str

    @classmethod
    def of(cls, amount: int, currency: str) -> Money:
        """Build from an amount and a currency."""
        return cls(amount=amount, currency=currency)


@strawberry.input(description="An amount in minor units (cents) and an ISO-4217 currency.")
class MoneyInput:
    """GraphQL ``MoneyInput``."""

    amount: int
    currency: str

    def to_value(self, field: str = "amount") -> MoneyValue:
        """The validated domain value (amount must be positive)."""
        if self.amount <= 0:
            raise BadUserInputError(f"amount must be positive, got {self.amount}", field=field)
        return MoneyValue(self.amount, check_currency(self.currency, f"{field}.currency"))


@strawberry.federation.type(shareable=True, description="A postal address.")
class Address:
    """GraphQL ``Address``."""

    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str
    country: str

    @classmethod
    def from_value(cls, value: AddressValue) -> Address:
        """Build from the domain value."""
        return cls(
            line1=value.line1,
            line2=value.line2,
            city=value.city,
            region=value.region,
            postal_code=value.postal_code,
            country=value.country,
        )


@strawberry.input(description="A postal address; country is an ISO-3166 alpha-2 code.")
class AddressInput:
    """GraphQL ``AddressInput``."""

    line1: str
    city: str
    postal_code: str
    country: str
    line2: str | None = None
    region: str | None = None

    def to_value(self, field: str = "address") -> AddressValue:
        """The validated domain value (required parts non-blank, country two letters)."""
        for name in ("line1", "city", "postal_code"):
            if not str(getattr(self, name)).strip():
                raise BadUserInputError(f"{name} must not be blank", field=f"{field}.{name}")
        if not re.fullmatch(r"[A-Z]{2}", self.country):
            raise BadUserInputError(
                f"{self.country!r} is not an ISO-3166 alpha-2 country code",
                field=f"{field}.country",
            )
        return AddressValue(
            line1=self.line1.strip(),
            line2=(self.line2 or "").strip() or None,
            city=self.city.strip(),
            region=(self.region or "").strip() or None,
            postal_code=self.postal_code.strip(),
            country=self.country,
        )


@strawberry.federation.type(shareable=True, description="Where a page of a connection ends.")
class PageInfo:
    """GraphQL ``PageInfo`` of Relay-style connections."""

    has_next_page: bool
    end_cursor: str | None
