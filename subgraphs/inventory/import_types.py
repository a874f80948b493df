"""GraphQL input and result of the product import (``@inaccessible``: internal API)."""

from __future__ import annotations

import strawberry

from subgraphs.common.imports import ImportRowResult
from subgraphs.inventory.imports import ProductRow

__all__ = ["ProductImportResult", "ProductImportRow"]


@strawberry.federation.input(inaccessible=True, description="A product from the legacy ERP.")
class ProductImportRow:
    """One row of ``importProducts`` (price in minor units); ``rowKey`` makes it happen once."""

    row_key: str
    sku: str
    name: str
    price_amount: int
    weight_grams: int
    description: str = ""
    currency: str = "USD"

    def to_row(self) -> ProductRow:
        """The use case's row."""
        return ProductRow(
            self.row_key,
            self.sku,
            self.name,
            self.description,
            self.price_amount,
            self.currency,
            self.weight_grams,
        )


@strawberry.federation.type(inaccessible=True, description="The outcome of one product row.")
class ProductImportResult(ImportRowResult):
    """``id`` is the sku."""
