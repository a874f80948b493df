"""The deterministic seed generator: one config in, the rows of all four databases out."""

from __future__ import annotations

import random

from subgraphs.seed.downstream import inventory_rows, payment_rows, shipment_rows
from subgraphs.seed.master_data import generate_master_data
from subgraphs.seed.order_history import generate_orders, order_rows
from subgraphs.seed.plan import SeedConfig, SeedData

__all__ = ["generate"]


def generate(config: SeedConfig | None = None) -> SeedData:
    """Generate the seed data; the same ``config`` always yields the same rows."""
    config = config or SeedConfig()
    rng = random.Random(config.seed)
    master = generate_master_data(rng, config)
    orders = generate_orders(rng, config, master)
    order_table, line_table = order_rows(rng, orders, master.names)
    catalog = [
        {
            "sku": row["sku"],
            "name": row["name"],
            "price_amount": row["price_amount"],
            "currency": row["currency"],
        }
        for row in master.product_rows
    ]
    return SeedData(
        orders={
            "customers": master.customer_rows,
            "catalog_items": catalog,
            "counters": [{"name": "order_number", "value": orders[-1].number}],
            "orders": order_table,
            "order_lines": line_table,
        },
        inventory=inventory_rows(rng, config, master, orders),
        payments=payment_rows(rng, config, orders),
        shipments=shipment_rows(rng, config, orders),
    )
