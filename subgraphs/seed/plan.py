"""The shapes the seed generator produces: its configuration, the rows, and the order plans
that tie the four databases together."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from subgraphs.common.values import AddressValue

__all__ = ["SUBGRAPH_TABLES", "PlannedLine", "PlannedOrder", "Rows", "SeedConfig", "SeedData"]

#: ``table -> rows`` of one database; each row maps column names to values.
Rows = dict[str, list[dict[str, Any]]]

#: Insertion order of each subgraph's tables (parents before children). The first table's
#: first row doubles as the "already seeded" marker.
SUBGRAPH_TABLES: dict[str, tuple[str, ...]] = {
    "orders": ("customers", "catalog_items", "counters", "orders", "order_lines"),
    "inventory": ("warehouses", "products", "stock_levels", "reservations"),
    "payments": ("payments", "refunds"),
    "shipments": ("shipments", "shipment_items", "tracking_events"),
}


@dataclass(frozen=True, slots=True)
class SeedConfig:
    """How much data to generate; the same config always gives the same data."""

    customers: int = 120
    products: int = 200
    orders: int = 1_000
    seed: int = 20_251_001
    #: the newest moment in the data; everything happened before it
    anchor: datetime = datetime(2025, 10, 1, tzinfo=UTC)
    #: orders are spread over this many days before the anchor
    history_days: int = 180

    def __post_init__(self) -> None:
        if self.customers < 1 or self.products < 5 or self.orders < 20:
            raise ValueError("need at least 1 customer, 5 products and 20 orders")


@dataclass(slots=True)
class PlannedLine:
    """One order line and what happened to it."""

    id: uuid.UUID
    sku: str
    quantity: int
    unit_price: int
    fulfilled: int = 0


@dataclass(slots=True)
class PlannedOrder:
    """One order's history, from which every subgraph derives its rows."""

    id: uuid.UUID
    number: int
    customer_id: uuid.UUID
    customer_email: str
    channel: str
    status: str
    path: list[tuple[str, datetime]]
    address: AddressValue
    lines: list[PlannedLine]
    total: int = 0
    #: the status it was cancelled from (CANCELLED orders only)
    cancelled_from: str | None = None

    @property
    def placed_at(self) -> datetime:
        """When the order was placed."""
        return self.path[0][1]

    def reached(self, status: str) -> datetime | None:
        """When the order entered ``status`` (``None`` if it never did)."""
        return next((at for name, at in self.path if name == status), None)


@dataclass(slots=True)
class SeedData:
    """The rows of the four databases."""

    orders: Rows = field(default_factory=dict)
    inventory: Rows = field(default_factory=dict)
    payments: Rows = field(default_factory=dict)
    shipments: Rows = field(default_factory=dict)

    def rows_of(self, subgraph: str) -> Rows:
        """The rows of one subgraph's database."""
        rows: Rows = getattr(self, subgraph)
        return rows
