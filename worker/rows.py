"""From an imported row (a CSV record or a JSON object) to a subgraph mutation's input.

Legacy ERP exports use ``snake_case`` or ``camelCase`` column names; both are read. Prices are
decimals in major units (``19.99``) or integers in minor units (``price_amount``). A row that
cannot be mapped raises :class:`RowDataError` (the row fails with ``BAD_ROW``; nothing is sent).

>>> product_input({"sku": "SKU-1", "name": "Mug", "price": "12.50", "weight_grams": "300"}, "k")
{'rowKey': 'k', 'sku': 'SKU-1', 'name': 'Mug', 'description': '', 'priceAmount': 1250, 'currency': 'USD', 'weightGrams': 300}
"""  # noqa: E501

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["RowDataError", "catalog_input", "customer_input", "order_input", "product_input"]


class RowDataError(Exception):
    """A row whose content cannot become a mutation input."""

    code = "BAD_ROW"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _object(row: Any) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise RowDataError("a row must be an object (a CSV record or a JSON object)")
    return row


def _value(row: dict[str, Any], *names: str, required: bool = True) -> Any:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return value
    if required:
        raise RowDataError(f"{names[0]} is missing", field=names[0])
    return None


def _text(row: dict[str, Any], *names: str, required: bool = True) -> str:
    value = _value(row, *names, required=required)
    return "" if value is None else str(value).strip()


def _integer(row: dict[str, Any], *names: str) -> int:
    value = _value(row, *names)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise RowDataError(f"{names[0]} is not a number: {value!r}", field=names[0]) from error
    if number != number.to_integral_value():
        raise RowDataError(f"{names[0]} must be a whole number", field=names[0])
    return int(number)


def _price(row: dict[str, Any]) -> int:
    minor = _value(row, "price_amount", "priceAmount", required=False)
    if minor is not None:
        return _integer(row, "price_amount", "priceAmount")
    value = _value(row, "price")
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise RowDataError(f"price is not a number: {value!r}", field="price") from error
    cents = price * 100
    if cents != cents.to_integral_value():
        raise RowDataError("price has more than two decimals", field="price")
    return int(cents)


def customer_input(row: Any, row_key: str) -> dict[str, Any]:
    """A ``CustomerImportRow``."""
    data = _object(row)
    return {
        "rowKey": row_key,
        "legacyErpId": _text(data, "legacy_erp_id", "legacyErpId", "erp_id", "id"),
        "email": _text(data, "email"),
        "name": _text(data, "name"),
    }


def product_input(row: Any, row_key: str) -> dict[str, Any]:
    """A ``ProductImportRow``."""
    data = _object(row)
    return {
        "rowKey": row_key,
        "sku": _text(data, "sku"),
        "name": _text(data, "name"),
        "description": _text(data, "description", required=False),
        "priceAmount": _price(data),
        "currency": _text(data, "currency", required=False) or "USD",
        "weightGrams": _integer(data, "weight_grams", "weightGrams"),
    }


def catalog_input(product: dict[str, Any]) -> dict[str, Any]:
    """The ``CatalogItemImportRow`` of a product input (the orders catalog replica)."""
    return {key: product[key] for key in ("rowKey", "sku", "name", "priceAmount", "currency")}


def order_input(row: Any) -> dict[str, Any]:
    """A ``CreateOrderInput`` (checked by the orders subgraph itself)."""
    data = _object(row)
    for name in ("customerId", "channel", "lines", "shippingAddress"):
        _value(data, name)
    return data
