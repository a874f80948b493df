"""A poison row: every attempt fails transiently (the orders subgraph answers 503 for it), so it
goes to the dead-letter list after its retries; once the cause is gone, replaying the dead
letters completes the job, and no row acts twice."""

from __future__ import annotations

import orjson
from fault_proxy import FaultProxy
from jobs_support import FAST_WORKER, orders_file, wait_for_completion
from live_server import live_server
from order_stack import count, order_inputs
from stack_gateway import Deployment, serve_gateway

from subgraphs.orders.models import IdempotencyKey, Order

JSON = {"content-type": "application/json"}


async def test_a_poison_row_is_dead_lettered_then_replayed(deployment: Deployment) -> None:
    databases = deployment.stack.database_urls
    writer = deployment.writer
    customers, skus = await order_inputs(databases)
    rows = orjson.loads(orders_file(customers, skus, 6))
    rows[3]["shippingAddress"]["line1"] = "13 Poison Lane"  # row 4
    proxy = FaultProxy(deployment.stack.url("orders"), poison={"Poison Lane"})
    before = await count(databases["orders"], Order)
    async with live_server(proxy.app()) as proxy_url:
        settings = deployment.settings(
            subgraphs={"urls": {"orders": f"{proxy_url}/graphql"}},
            jobs={"processing": {**FAST_WORKER, "max_attempts": 3}},
        )
        async with serve_gateway(settings) as (client, _):
            accepted = await client.post(
                "/jobs/imports/orders", content=orjson.dumps(rows), headers=JSON | writer
            )
            location = accepted.headers["location"]
            job = await wait_for_completion(client, location, writer)
            assert job["progress"] == {
                "total": 6,
                "processed": 6,
                "succeeded": 5,
                "failed": 1,
                "deadLettered": 1,
            }
            assert [(e["row"], e["code"]) for e in job["errors"]] == [(4, "SUBREQUEST_HTTP_ERROR")]
            assert proxy.failures == 3
            letters = (await client.get(f"{location}/dead-letters", headers=writer)).json()[
                "deadLetters"
            ]
            assert [(letter["row"], letter["attempts"]) for letter in letters] == [(4, 3)]
            assert letters[0]["data"] == rows[3]
            assert letters[0]["error"]["code"] == "SUBREQUEST_HTTP_ERROR"
            assert await count(databases["orders"], Order) == before + 5

            proxy.heal()
            replay = await client.post(f"{location}/dead-letters/replay", headers=writer)
            assert replay.status_code == 202
            assert replay.headers["location"] == location
            assert replay.json()["replayed"] == 1
            done = await wait_for_completion(client, location, writer)
            nothing = await client.post(f"{location}/dead-letters/replay", headers=writer)
            letters_after = (await client.get(f"{location}/dead-letters", headers=writer)).json()
    assert done["progress"] == {
        "total": 6,
        "processed": 6,
        "succeeded": 6,
        "failed": 0,
        "deadLettered": 0,
    }
    assert done["errors"] == []
    assert (nothing.status_code, nothing.json()["replayed"]) == (200, 0)
    assert letters_after["deadLetters"] == []
    assert await count(databases["orders"], Order) == before + 6
    assert await count(databases["orders"], IdempotencyKey) == 6
