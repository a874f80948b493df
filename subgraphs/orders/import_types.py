"""GraphQL inputs and results of the master-data imports (``@inaccessible``: workers call the
subgraph directly; the gateway's API schema never shows them)."""

from __future__ import annotations

import strawberry

from subgraphs.common.imports import ImportRowResult
from subgraphs.orders.imports import CatalogItemRow, CustomerRow

__all__ = [
    "CatalogItemImportResult",
    "CatalogItemImportRow",
    "CustomerImportResult",
    "CustomerImportRow",
]


@strawberry.federation.input(inaccessible=True, description="A customer from the legacy ERP.")
class CustomerImportRow:
    """One row of ``importCustomers``; ``rowKey`` makes it happen once."""

    row_key: str
    legacy_erp_id: str
    email: str
    name: str

    def to_row(self) -> CustomerRow:
        """The use case's row."""
        return CustomerRow(self.row_key, self.legacy_erp_id, self.email, self.name)


@strawberry.federation.input(inaccessible=True, description="A product for the catalog replica.")
class CatalogItemImportRow:
    """One row of ``importCatalogItems`` (price in minor units)."""

    row_key: str
    sku: str
    name: str
    price_amount: int
    currency: str = "USD"

    def to_row(self) -> CatalogItemRow:
        """The use case's row."""
        return CatalogItemRow(self.row_key, self.sku, self.name, self.price_amount, self.currency)


@strawberry.federation.type(inaccessible=True, description="The outcome of one customer row.")
class CustomerImportResult(ImportRowResult):
    """``id`` is the customer's id."""


@strawberry.federation.type(inaccessible=True, description="The outcome of one catalog row.")
class CatalogItemImportResult(ImportRowResult):
    """``id`` is the sku."""
