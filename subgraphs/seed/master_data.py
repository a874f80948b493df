"""Seed master data: warehouses, products (inventory + the orders catalog replica), customers."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from subgraphs.common.ids import stable_id
from subgraphs.common.values import AddressValue
from subgraphs.seed.plan import SeedConfig
from subgraphs.seed.vocabulary import (
    ADJECTIVES,
    CITIES,
    FIRST_NAMES,
    LAST_NAMES,
    MATERIALS,
    PRODUCT_NOUNS,
    STREETS,
    WAREHOUSES,
)

__all__ = ["Customer", "MasterData", "generate_master_data"]


@dataclass(frozen=True, slots=True)
class Customer:
    """A generated customer and the address their orders ship to."""

    id: uuid.UUID
    email: str
    address: AddressValue


@dataclass(frozen=True, slots=True)
class MasterData:
    """Rows and lookups of the generated master data."""

    warehouse_rows: list[dict[str, Any]]
    product_rows: list[dict[str, Any]]
    customer_rows: list[dict[str, Any]]
    customers: list[Customer]
    #: sku -> list price (minor units)
    prices: dict[str, int]
    #: sku -> product name
    names: dict[str, str]


def _address(rng: random.Random) -> AddressValue:
    weights = [60, 10, 10, 7, 7, 6]
    country, cities = rng.choices(CITIES, weights=weights)[0]
    city, region, prefix = rng.choice(cities)
    postal = (
        f"{prefix}{rng.randint(10, 99)}" if country != "GB" else f"{prefix}{rng.randint(1, 9)} 4AB"
    )
    return AddressValue(
        line1=f"{rng.randint(1, 999)} {rng.choice(STREETS)}",
        line2=f"Apt {rng.randint(1, 40)}" if rng.random() < 0.2 else None,
        city=city,
        region=region,
        postal_code=postal,
        country=country,
    )


def _products(rng: random.Random, config: SeedConfig) -> list[dict[str, Any]]:
    names = [
        (adjective, material, noun, grams)
        for adjective in ADJECTIVES
        for material in MATERIALS
        for noun, grams in PRODUCT_NOUNS
    ]
    chosen = rng.sample(names, config.products)
    rows = []
    for index, (adjective, material, noun, grams) in enumerate(chosen):
        name = f"{adjective} {material} {noun}"
        rows.append(
            {
                "sku": f"SKU-{10_001 + index}",
                "name": name,
                "description": f"A {adjective.lower()} {noun.lower()} made of {material.lower()}.",
                "price_amount": rng.randint(4, 249) * 100 + 99,
                "currency": "USD",
                "weight_grams": max(50, int(grams * rng.uniform(0.7, 1.4))),
                "created_at": config.anchor
                - timedelta(days=config.history_days + rng.randint(30, 400)),
            }
        )
    return rows


def _customers(
    rng: random.Random, config: SeedConfig
) -> tuple[list[dict[str, Any]], list[Customer]]:
    rows, customers = [], []
    for index in range(config.customers):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first}.{last}".lower().replace("'", "").replace("ü", "ue")
        email = f"{local}.{index + 1}@example.com"
        customer_id = stable_id("customer", config.seed, index)
        rows.append(
            {
                "id": customer_id,
                "email": email,
                "name": f"{first} {last}",
                "legacy_erp_id": f"ERP-{400_000 + index}" if rng.random() < 0.8 else None,
                "created_at": config.anchor
                - timedelta(
                    days=config.history_days + rng.randint(1, 700), minutes=rng.randint(0, 1439)
                ),
            }
        )
        customers.append(Customer(customer_id, email, _address(rng)))
    return rows, customers


def generate_master_data(rng: random.Random, config: SeedConfig) -> MasterData:
    """Warehouses, products and customers."""
    warehouse_rows = [
        {"code": code, "name": name, "city": city, "country": country}
        for code, name, city, country in WAREHOUSES
    ]
    product_rows = _products(rng, config)
    customer_rows, customers = _customers(rng, config)
    return MasterData(
        warehouse_rows=warehouse_rows,
        product_rows=product_rows,
        customer_rows=customer_rows,
        customers=customers,
        prices={row["sku"]: row["price_amount"] for row in product_rows},
        names={row["sku"]: row["name"] for row in product_rows},
    )
