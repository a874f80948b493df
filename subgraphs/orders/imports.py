"""Master-data imports into the orders database: customers (by legacy ERP id) and the catalog
replica (by sku). Rows are applied once per row key (see :mod:`subgraphs.common.imports`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from subgraphs.common.db import utc_now
from subgraphs.common.errors import BadUserInputError
from subgraphs.common.imports import ImportOutcome, RowResult, import_rows
from subgraphs.common.values import check_currency
from subgraphs.orders.models import CatalogItem, Customer
from subgraphs.orders.services import OrdersUnitOfWork

__all__ = ["CatalogItemRow", "CustomerRow", "import_catalog_items", "import_customers"]


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """A customer exported from the legacy ERP."""

    row_key: str
    legacy_erp_id: str
    email: str
    name: str


@dataclass(frozen=True, slots=True)
class CatalogItemRow:
    """A product's sku, name and list price, for the catalog replica."""

    row_key: str
    sku: str
    name: str
    price_amount: int
    currency: str


def _text(value: str, field: str, longest: int) -> str:
    cleaned = value.strip()
    if not 1 <= len(cleaned) <= longest:
        raise BadUserInputError(f"{field} must be 1 to {longest} characters", field=field)
    return cleaned


def _email(value: str) -> str:
    email = _text(value, "email", 254).lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email:
        raise BadUserInputError(f"{value!r} is not an email address", field="email")
    return email


async def _upsert_customer(uow: OrdersUnitOfWork, row: CustomerRow) -> tuple[ImportOutcome, str]:
    legacy_id = _text(row.legacy_erp_id, "legacyErpId", 40)
    email, name = _email(row.email), _text(row.name, "name", 200)
    session = uow.session
    customer = await session.scalar(select(Customer).where(Customer.legacy_erp_id == legacy_id))
    owner = await session.scalar(select(Customer).where(Customer.email == email))
    if owner is not None and owner is not customer:
        raise BadUserInputError(
            f"{email} belongs to another customer (legacy id {owner.legacy_erp_id})",
            field="email",
        )
    if customer is None:
        customer = Customer(
            id=uuid.uuid4(), email=email, name=name, legacy_erp_id=legacy_id, created_at=utc_now()
        )
        session.add(customer)
        return ImportOutcome.CREATED, str(customer.id)
    if (customer.email, customer.name) == (email, name):
        return ImportOutcome.UNCHANGED, str(customer.id)
    customer.email, customer.name = email, name
    return ImportOutcome.UPDATED, str(customer.id)


async def _upsert_catalog_item(
    uow: OrdersUnitOfWork, row: CatalogItemRow
) -> tuple[ImportOutcome, str]:
    sku, name = _text(row.sku, "sku", 64), _text(row.name, "name", 200)
    currency = check_currency(row.currency)
    if row.price_amount < 0:
        raise BadUserInputError("price must not be negative", field="price")
    item = await uow.session.get(CatalogItem, sku)
    if item is None:
        uow.session.add(
            CatalogItem(sku=sku, name=name, price_amount=row.price_amount, currency=currency)
        )
        return ImportOutcome.CREATED, sku
    if (item.name, item.price_amount, item.currency) == (name, row.price_amount, currency):
        return ImportOutcome.UNCHANGED, sku
    item.name, item.price_amount, item.currency = name, row.price_amount, currency
    return ImportOutcome.UPDATED, sku


async def import_customers(rows: Sequence[CustomerRow], uow: OrdersUnitOfWork) -> list[RowResult]:
    """Create or update customers by legacy ERP id (an email stays unique)."""
    return await import_rows(uow, "importCustomers", rows, lambda row: _upsert_customer(uow, row))


async def import_catalog_items(
    rows: Sequence[CatalogItemRow], uow: OrdersUnitOfWork
) -> list[RowResult]:
    """Create or update catalog replica items by sku."""
    return await import_rows(
        uow,
        "importCatalogItems",
        rows,
        lambda row: _upsert_catalog_item(uow, row),
        owned_data=False,
    )
