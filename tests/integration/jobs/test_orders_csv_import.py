"""Orders from CSV through the real ``/jobs`` API: one record per order line, grouped into
orders by ``order_ref``; the gateway's worker creates them in the real orders subgraph; bad
records fail their order's row with an error naming the order, the line and the column."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import yaml
from click.testing import CliRunner
from jobs_support import FAST_WORKER, wait_for_completion
from order_stack import count, order_inputs, rows
from stack_gateway import Deployment, serve_gateway

from gateway.auth import generate_api_key, hash_api_key
from ordergate.cli import main
from subgraphs.orders.models import Order

HEADER = (
    "order_ref,customer_id,channel,currency,ship_line1,ship_line2,ship_city,ship_region,"
    "ship_postal_code,ship_country,sku,quantity\n"
)
CSV = {"content-type": "text/csv; charset=utf-8"}
#: an operator key allowed to submit imports and to write orders
SCOPES = ["imports:write", "orders:read", "orders:write", "inventory:write"]


def _record(
    ref: str, customer: str, sku: str, quantity: str, street: str = "", **extra: str
) -> str:
    values = {
        "order_ref": ref,
        "customer_id": customer,
        "channel": extra.get("channel", "B2B" if customer else ""),
        "currency": "",
        "ship_line1": street,
        "ship_line2": extra.get("line2", ""),
        "ship_city": "Springfield" if customer else "",
        "ship_region": "",
        "ship_postal_code": "12345" if customer else "",
        "ship_country": "US" if customer else "",
        "sku": sku,
        "quantity": quantity,
    }
    return ",".join(values.values()) + "\n"


def _operator_key(deployment: Deployment) -> tuple[dict[str, object], dict[str, str]]:
    key = generate_api_key()
    entry = {"id": "ops-1", "hash": hash_api_key(key), "client_id": "ops", "scopes": SCOPES}
    key_file = deployment.directory / "api-keys.yaml"
    key_file.write_text(yaml.safe_dump({"keys": [entry]}))
    return {"api_keys": {"file": str(key_file)}}, {"x-api-key": key}


async def test_orders_csv_becomes_one_order_per_reference(deployment: Deployment) -> None:
    databases = deployment.stack.database_urls
    customers, skus = await order_inputs(databases)
    tag = uuid.uuid4().hex[:8]
    body = HEADER + "".join(
        [
            _record("PO-1", customers[0], skus[0], "2", f"{tag} PO-1 Road", line2="Unit 4"),
            _record("PO-1", "", skus[1], "1"),  # a later line of PO-1: order columns left empty
            _record("PO-2", customers[1], skus[2], " 1 ", f"{tag} PO-2 Road", channel="web"),
            "\n",
            _record("PO-3", customers[2], skus[0], "2.5", f"{tag} PO-3 Road"),
            _record("PO-4", customers[3], "NO-SUCH-SKU", "1", f"{tag} PO-4 Road"),
            _record("PO-1", customers[0], skus[2], "1", f"{tag} PO-1 Road"),  # not adjacent
            _record("PO-5", customers[4], skus[1], "1", f"{tag} PO-5 Road"),
            _record("PO-5", customers[5], skus[2], "1", f"{tag} PO-5 Road"),
        ]
    )
    auth, operator = _operator_key(deployment)
    before = await count(databases["orders"], Order)
    settings = deployment.settings(auth=auth, jobs={"processing": FAST_WORKER})
    async with serve_gateway(settings) as (client, _):
        accepted = await client.post(
            "/jobs/imports/orders", content=body.encode(), headers=CSV | operator
        )
        assert accepted.status_code == 202, accepted.text
        assert accepted.json()["progress"]["total"] == 5  # orders, not lines
        job = await wait_for_completion(client, accepted.headers["location"], operator)
    assert job["progress"] == {
        "total": 5,
        "processed": 5,
        "succeeded": 2,
        "failed": 3,
        "deadLettered": 0,
    }
    errors = {error["row"]: error for error in job["errors"]}
    assert sorted(errors) == [3, 4, 5]
    assert (errors[3]["code"], errors[3]["field"]) == ("BAD_ROW", "quantity")
    assert errors[3]["message"] == (
        "order PO-3, line 6: quantity must be a whole number of at least 1, not '2.5'"
    )
    assert errors[4]["code"] == "UNKNOWN_SKU"
    assert (errors[5]["code"], errors[5]["field"]) == ("BAD_ROW", "customer_id")
    assert errors[5]["message"].startswith("order PO-5, line 10: customer_id ")
    assert await count(databases["orders"], Order) == before + 2
    created = await rows(
        databases["orders"],
        "SELECT o.customer_id, o.channel, o.ship_line2, l.sku, l.quantity FROM orders o "
        "JOIN order_lines l ON l.order_id = o.id WHERE o.ship_line1 LIKE :tag "
        "ORDER BY o.ship_line1, l.line_number",
        tag=f"{tag} %",
    )
    assert [
        (str(row["customer_id"]), row["channel"], row["ship_line2"], row["sku"], row["quantity"])
        for row in created
    ] == [
        (customers[0], "B2B", "Unit 4", skus[0], 2),
        (customers[0], "B2B", "Unit 4", skus[1], 1),
        (customers[0], "B2B", "Unit 4", skus[2], 1),
        (customers[1], "WEB", None, skus[2], 1),
    ]


async def test_an_orders_csv_without_the_columns_is_refused(deployment: Deployment) -> None:
    auth, operator = _operator_key(deployment)
    async with serve_gateway(deployment.settings(auth=auth)) as (client, _):
        unreadable = await client.post(
            "/jobs/imports/orders",
            content=b"order_ref,sku,price\nPO-1,S,1\n",
            headers=CSV | operator,
        )
        plain = await client.post(
            "/jobs/imports/orders",
            content=HEADER.encode(),
            headers={"content-type": "text/plain"} | operator,
        )
    assert unreadable.status_code == 400
    problem = unreadable.json()
    assert problem["code"] == "INVALID_IMPORT_FILE"
    assert "missing columns: channel, customer_id" in problem["detail"]
    assert "unknown columns: price" in problem["detail"]
    assert (plain.status_code, plain.json()["code"]) == (415, "UNSUPPORTED_MEDIA_TYPE")


async def test_ordergate_import_orders_takes_the_csv_its_help_describes(
    deployment: Deployment, tmp_path: Path
) -> None:
    databases = deployment.stack.database_urls
    customers, skus = await order_inputs(databases)
    tag = uuid.uuid4().hex[:8]
    orders_csv = tmp_path / "orders.csv"
    orders_csv.write_text(
        "order_ref,customer_id,channel,ship_line1,ship_city,ship_postal_code,ship_country,"
        "sku,quantity\n"
        f"PO-7001,{customers[0]},B2B,{tag} Harbour Road,Seattle,98101,US,{skus[0]},2\n"
        f"PO-7001,,,,,,,{skus[1]},1\n"
        f"PO-7002,{customers[0]},B2B,{tag} Harbour Road,Seattle,98101,US,{skus[2]},1.5\n"
    )
    auth, operator = _operator_key(deployment)
    settings = deployment.settings(auth=auth, jobs={"processing": FAST_WORKER})
    async with serve_gateway(settings) as (client, _):
        arguments = ["import", "orders", str(orders_csv), "--gateway", str(client.base_url)]
        result = await asyncio.to_thread(
            CliRunner().invoke, main, [*arguments, "--api-key", operator["x-api-key"]]
        )
    assert (
        "Import orders from FILE as a job. CSV:"
        in CliRunner().invoke(main, ["import", "orders", "--help"]).output
    )
    assert result.exit_code == 1, result.output
    assert "accepted: 2 rows, job /jobs/" in result.output
    assert "1 of 2 rows imported, 1 failed (0 dead-lettered)" in result.output
    assert (
        "row 2: BAD_ROW [quantity] order PO-7002, line 4: quantity must be a whole number of "
        "at least 1, not '1.5'"
    ) in result.output
    created = await rows(
        databases["orders"],
        "SELECT l.sku FROM orders o JOIN order_lines l ON l.order_id = o.id "
        "WHERE o.ship_line1 = :street ORDER BY l.line_number",
        street=f"{tag} Harbour Road",
    )
    assert [row["sku"] for row in created] == [skus[0], skus[1]]
