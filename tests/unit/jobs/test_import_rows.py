"""Mapping imported rows to the subgraphs' import inputs."""

from __future__ import annotations

import pytest

from worker.rows import RowDataError, catalog_input, customer_input, order_input, product_input


def test_customers_accept_snake_and_camel_case_columns() -> None:
    expected = {"rowKey": "j:1", "legacyErpId": "E-1", "email": "a@b.co", "name": "Ann"}
    assert customer_input({"legacy_erp_id": "E-1", "email": "a@b.co", "name": "Ann"}, "j:1") == (
        expected
    )
    assert customer_input({"legacyErpId": " E-1 ", "email": "a@b.co", "name": "Ann"}, "j:1") == (
        expected
    )


@pytest.mark.parametrize(
    ("row", "amount"),
    [
        ({"price": "19.99"}, 1999),
        ({"price": "20"}, 2000),
        ({"price": 7.5}, 750),
        ({"price_amount": "1234"}, 1234),
        ({"priceAmount": 99, "price": "1.00"}, 99),
    ],
)
def test_product_prices_in_major_or_minor_units(row: dict[str, object], amount: int) -> None:
    product = product_input({"sku": "S", "name": "N", "weightGrams": 10, **row}, "j:2")
    assert product["priceAmount"] == amount
    assert product["currency"] == "USD"
    assert catalog_input(product) == {
        "rowKey": "j:2",
        "sku": "S",
        "name": "N",
        "priceAmount": amount,
        "currency": "USD",
    }


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"sku": "S", "name": "N", "price": "1.234", "weight_grams": 1}, "price"),
        ({"sku": "S", "name": "N", "price": "cheap", "weight_grams": 1}, "price"),
        ({"sku": "S", "name": "N", "price": "1", "weight_grams": "1.5"}, "weight_grams"),
        ({"sku": "S", "name": "N", "weight_grams": "1"}, "price"),
        ({"name": "N", "price": "1", "weight_grams": "1"}, "sku"),
    ],
)
def test_product_rows_that_cannot_be_mapped(row: dict[str, object], field: str) -> None:
    with pytest.raises(RowDataError) as caught:
        product_input(row, "j:3")
    assert (caught.value.code, caught.value.field) == ("BAD_ROW", field)


def test_orders_need_their_fields_and_rows_must_be_objects() -> None:
    order = {"customerId": "c", "channel": "WEB", "lines": [{}], "shippingAddress": {}}
    assert order_input(order) is order
    with pytest.raises(RowDataError) as missing:
        order_input({**order, "lines": None})
    assert missing.value.field == "lines"
    with pytest.raises(RowDataError):
        customer_input(["not", "an", "object"], "j:4")
