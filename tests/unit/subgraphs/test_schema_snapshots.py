"""The checked-in SDL snapshots match the code, and carry the federated contract."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import ObjectTypeDefinitionNode, parse, print_ast

from subgraphs.registry import SUBGRAPH_NAMES
from subgraphs.snapshots import main, sdl_of, snapshot_path, stale_snapshots

SHARED = ("Money", "Address", "PageInfo")


@pytest.mark.parametrize("name", SUBGRAPH_NAMES)
def test_snapshot_matches_code(name: str) -> None:
    assert snapshot_path(name).read_text(encoding="utf-8") == sdl_of(name), (
        f"schema/subgraphs/{name}.graphql is stale: run `uv run python -m subgraphs.snapshots`"
    )


def test_check_reports_drift(tmp_path: Path) -> None:
    assert main(["--directory", str(tmp_path)]) == 0
    assert stale_snapshots(tmp_path) == []
    snapshot_path("orders", tmp_path).write_text("type Query { stale: Int }\n")
    assert stale_snapshots(tmp_path) == ["orders"]
    assert main(["--check", "--directory", str(tmp_path)]) == 1


@pytest.mark.parametrize("name", SUBGRAPH_NAMES)
def test_snapshot_is_valid_graphql(name: str) -> None:
    document = parse(snapshot_path(name).read_text(encoding="utf-8"))
    assert document.definitions


def _sdl(name: str) -> str:
    return snapshot_path(name).read_text(encoding="utf-8")


def test_cross_subgraph_contract() -> None:
    orders, inventory, payments, shipments = (_sdl(name) for name in SUBGRAPH_NAMES)
    assert 'type Customer @key(fields: "id")' in orders
    assert "legacyErpId: String @inaccessible" in orders
    assert 'type Order @key(fields: "id")' in orders
    assert 'product: Product! @provides(fields: "name")' in orders
    assert 'type Product @key(fields: "sku", resolvable: false)' in orders
    assert "name: String! @external" in orders
    assert 'type Product @key(fields: "sku")' in inventory
    assert "name: String! @shareable" in inventory
    assert 'type StockLevel @key(fields: "sku warehouseCode")' in inventory
    assert 'availability: LineAvailability! @requires(fields: "sku quantity")' in inventory
    assert (
        'balanceDue: Money @requires(fields: "total { amount currency }") '
        '@requiresScopes(scopes: [["payments:read"]])'
    ) in payments
    assert "union PaymentMethod = CardPayment | BankTransferPayment | WalletPayment" in payments
    assert '@key(fields: "id") @key(fields: "carrier trackingNumber")' in shipments
    for sdl in (orders, inventory, payments):
        assert "type Money @shareable" in sdl
    for sdl in (orders, shipments):
        assert "type Address @shareable" in sdl
    for sdl in (orders, inventory, payments, shipments):
        assert "federation/v2.9" in sdl  # @requiresScopes needs 2.5, @listSize 2.9
    paged = '@listSize(assumedSize: null, slicingArguments: ["first"], sizedFields: ["edges"]'
    for sdl, connection in (
        (orders, "orders(first: Int! = 20"),
        (orders, "customers(first: Int! = 20"),
        (inventory, "products(first: Int! = 20"),
        (payments, "payments(first: Int! = 20"),
    ):
        line = next(line for line in sdl.splitlines() if connection in line)
        assert paged in line, line
    payment_by_id = 'payment(id: ID!): Payment @requiresScopes(scopes: [["payments:read"]])'
    assert payment_by_id in payments


def test_shared_value_types_agree_across_subgraphs() -> None:
    shapes: dict[str, set[tuple[tuple[str, str], ...]]] = {}
    for name in SUBGRAPH_NAMES:
        document = parse(_sdl(name))
        for definition in document.definitions:
            type_name = getattr(getattr(definition, "name", None), "value", None)
            if isinstance(definition, ObjectTypeDefinitionNode) and type_name in SHARED:
                fields = tuple((f.name.value, print_ast(f.type)) for f in definition.fields)
                shapes.setdefault(type_name, set()).add(fields)
    assert set(shapes) == set(SHARED)
    assert all(len(variants) == 1 for variants in shapes.values()), shapes
