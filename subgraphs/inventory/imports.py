"""Master-data import into the inventory database: products by sku, once per row key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from subgraphs.common.db import utc_now
from subgraphs.common.errors import BadUserInputError
from subgraphs.common.imports import ImportOutcome, RowResult, import_rows
from subgraphs.common.values import check_currency
from subgraphs.inventory.models import Product
from subgraphs.inventory.services import InventoryUnitOfWork

__all__ = ["ProductRow", "import_products"]


@dataclass(frozen=True, slots=True)
class ProductRow:
    """A product exported from the legacy ERP."""

    row_key: str
    sku: str
    name: str
    description: str
    price_amount: int
    currency: str
    weight_grams: int


def _text(value: str, field: str, longest: int, *, empty: bool = False) -> str:
    cleaned = value.strip()
    if not (0 if empty else 1) <= len(cleaned) <= longest:
        raise BadUserInputError(f"{field} must be at most {longest} characters", field=field)
    return cleaned


async def _upsert_product(uow: InventoryUnitOfWork, row: ProductRow) -> tuple[ImportOutcome, str]:
    sku, name = _text(row.sku, "sku", 64), _text(row.name, "name", 200)
    description = _text(row.description, "description", 4000, empty=True)
    currency = check_currency(row.currency)
    if row.price_amount < 0:
        raise BadUserInputError("price must not be negative", field="price")
    if row.weight_grams <= 0:
        raise BadUserInputError("weight must be positive", field="weightGrams")
    values = (name, description, row.price_amount, currency, row.weight_grams)
    product = await uow.session.get(Product, sku)
    if product is None:
        uow.session.add(
            Product(
                sku=sku,
                name=name,
                description=description,
                price_amount=row.price_amount,
                currency=currency,
                weight_grams=row.weight_grams,
                created_at=utc_now(),
            )
        )
        return ImportOutcome.CREATED, sku
    current = (
        product.name,
        product.description,
        product.price_amount,
        product.currency,
        product.weight_grams,
    )
    if current == values:
        return ImportOutcome.UNCHANGED, sku
    (
        product.name,
        product.description,
        product.price_amount,
        product.currency,
        product.weight_grams,
    ) = values
    return ImportOutcome.UPDATED, sku


async def import_products(rows: Sequence[ProductRow], uow: InventoryUnitOfWork) -> list[RowResult]:
    """Create or update products by sku."""
    return await import_rows(uow, "importProducts", rows, lambda row: _upsert_product(uow, row))
