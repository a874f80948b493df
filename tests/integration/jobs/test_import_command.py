"""``ordergate import``: submits a file to the gateway, follows the job, prints a summary."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import CliRunner, Result
from jobs_support import FAST_WORKER, orders_file
from order_stack import count, order_inputs
from stack_gateway import Deployment, serve_gateway

from ordergate.cli import main
from subgraphs.orders.models import Customer, Order


async def invoke(*arguments: str) -> Result:
    return await asyncio.to_thread(CliRunner().invoke, main, list(arguments))


async def test_import_customers_and_orders_from_the_command_line(
    deployment: Deployment, tmp_path: Path
) -> None:
    databases = deployment.stack.database_urls
    customers_file = tmp_path / "customers.csv"
    customers_file.write_text(
        "legacy_erp_id,email,name\nERP-6001,zoe@example.com,Zoe Adams\nERP-6002,,Nameless\n"
    )
    customers, skus = await order_inputs(databases)
    orders_json = tmp_path / "orders.json"
    orders_json.write_bytes(orders_file(customers, skus, 12, **{"5": "NO-SUCH-SKU"}))
    before = await count(databases["orders"], Order)
    settings = deployment.settings(jobs={"processing": FAST_WORKER})
    key = deployment.writer_key
    async with serve_gateway(settings) as (client, _):
        gateway = str(client.base_url)
        imported = await invoke(
            "import", "customers", str(customers_file), "--gateway", gateway, "--api-key", key
        )
        ordered = await invoke(
            "import",
            "orders",
            str(orders_json),
            "--gateway",
            gateway,
            "--api-key",
            key,
            "--idempotency-key",
            "k1",
        )
        again = await invoke(
            "import",
            "orders",
            str(orders_json),
            "--gateway",
            gateway,
            "--api-key",
            key,
            "--idempotency-key",
            "k1",
        )
        not_waiting = await invoke(
            "import",
            "orders",
            str(orders_json),
            "--gateway",
            gateway,
            "--api-key",
            key,
            "--no-wait",
        )
        unknown_format = await invoke(
            "import", "orders", str(tmp_path), "--gateway", gateway, "--api-key", key
        )
    assert imported.exit_code == 1, imported.output
    assert "1 of 2 rows imported, 1 failed (0 dead-lettered)" in imported.output
    assert "row 2: BAD_ROW [email] email is missing" in imported.output
    assert ordered.exit_code == 1, ordered.output
    assert "accepted: 12 rows, job /jobs/" in ordered.output
    assert "11 of 12 rows imported, 1 failed" in ordered.output
    assert "row 5: UNKNOWN_SKU" in ordered.output
    assert "(already submitted with this key)" in again.output
    assert "11 of 12 rows imported" in again.output
    assert not_waiting.exit_code == 0
    assert "rows imported" not in not_waiting.output
    assert unknown_format.exit_code == 2
    assert await count(databases["orders"], Customer, Customer.legacy_erp_id == "ERP-6001") == 1
    assert await count(databases["orders"], Order) >= before + 11


async def test_a_clean_import_exits_zero(deployment: Deployment, tmp_path: Path) -> None:
    products = tmp_path / "products.json"
    products.write_text(
        '[{"sku": "SKU-CLI-1", "name": "Teapot", "price": "24.00", "weightGrams": 700}]'
    )
    async with serve_gateway(deployment.settings(jobs={"processing": FAST_WORKER})) as (client, _):
        result = await invoke(
            "import",
            "products",
            str(products),
            "--gateway",
            str(client.base_url),
            "--api-key",
            deployment.writer_key,
        )
    assert result.exit_code == 0, result.output
    assert "1 of 1 rows imported, 0 failed" in result.output
