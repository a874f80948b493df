"""Shipments over HTTP on SQLite and PostgreSQL: mutations, both keys, tracking rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from subgraph_harness import SubgraphClient

SHIPMENT = """
  id carrier trackingNumber status destination { city country }
  order { id }
  items { orderLineId sku quantity product { sku } }
  events { status location description occurredAt }
"""
CREATE = f"mutation($i: CreateShipmentInput!) {{ createShipment(input: $i) {{ {SHIPMENT} }} }}"
TRACK = f"mutation($i: AddTrackingEventInput!) {{ addTrackingEvent(input: $i) {{ {SHIPMENT} }} }}"
GET = f"query($id: ID!) {{ shipment(id: $id) {{ {SHIPMENT} }} }}"
DESTINATION = {"line1": "5 Elm Rd", "city": "Leeds", "postalCode": "LS1 4AP", "country": "GB"}


def create_input(order_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "orderId": order_id or str(uuid.uuid4()),
        "carrier": "UPS",
        "destination": DESTINATION,
        "items": [
            {"orderLineId": str(uuid.uuid4()), "sku": "SKU-MUG", "quantity": 2},
            {"orderLineId": str(uuid.uuid4()), "sku": "SKU-LAMP", "quantity": 1},
        ],
    }
    value.update(overrides)
    return {"i": value}


async def create(client: SubgraphClient, **overrides: Any) -> dict[str, Any]:
    return dict((await client.execute(CREATE, create_input(**overrides))).data["createShipment"])


def event(shipment_id: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "i": {"shipmentId": shipment_id, "status": status, "description": status.lower(), **extra}
    }


async def test_create_shipment_generates_tracking_and_first_event(
    shipments: SubgraphClient,
) -> None:
    shipment = await create(shipments)
    assert shipment["status"] == "LABEL_CREATED"
    assert shipment["trackingNumber"].startswith("1Z")
    assert len(shipment["trackingNumber"]) == 18
    assert [item["sku"] for item in shipment["items"]] == ["SKU-LAMP", "SKU-MUG"]
    assert shipment["items"][0]["product"] == {"sku": "SKU-LAMP"}
    assert [e["status"] for e in shipment["events"]] == ["LABEL_CREATED"]
    usps = await create(shipments, carrier="USPS")
    assert usps["trackingNumber"].startswith("9400")
    assert len(usps["trackingNumber"]) == 22
    given = await create(shipments, carrier="DHL", trackingNumber="JD0123456789")
    assert given["trackingNumber"] == "JD0123456789"


async def test_tracking_events_move_the_status(shipments: SubgraphClient) -> None:
    shipment = await create(shipments)
    sid = shipment["id"]
    start = datetime.now(UTC)
    for offset, status in enumerate(["IN_TRANSIT", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED"]):
        at = (start + timedelta(seconds=offset)).isoformat()
        response = await shipments.execute(
            TRACK, event(sid, status, occurredAt=at, location="Leeds")
        )
        assert response.data["addTrackingEvent"]["status"] == status
    final = (await shipments.execute(GET, {"id": sid})).data["shipment"]
    assert [e["status"] for e in final["events"]] == [
        "LABEL_CREATED",
        "IN_TRANSIT",
        "IN_TRANSIT",
        "OUT_FOR_DELIVERY",
        "DELIVERED",
    ]
    assert final["events"][-1]["location"] == "Leeds"


async def test_bad_events_change_nothing(shipments: SubgraphClient) -> None:
    shipment = await create(shipments)
    sid = shipment["id"]
    past = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    cases = [
        (event(sid, "DELIVERED"), "ILLEGAL_STATE_TRANSITION"),  # not picked up yet
        (event(sid, "IN_TRANSIT", occurredAt=past), "BAD_USER_INPUT"),
        (event(sid, "IN_TRANSIT", occurredAt=future), "BAD_USER_INPUT"),
        (event(sid, "IN_TRANSIT", description=" "), "BAD_USER_INPUT"),
        (event(str(uuid.uuid4()), "IN_TRANSIT"), "NOT_FOUND"),
        (event("nope", "IN_TRANSIT"), "BAD_USER_INPUT"),
    ]
    for variables, code in cases:
        assert (await shipments.execute(TRACK, variables)).code == code, variables
    assert (await shipments.execute(GET, {"id": sid})).data["shipment"] == shipment
    await shipments.execute(TRACK, event(sid, "IN_TRANSIT"))
    await shipments.execute(TRACK, event(sid, "EXCEPTION"))
    await shipments.execute(TRACK, event(sid, "RETURNED"))
    response = await shipments.execute(TRACK, event(sid, "IN_TRANSIT"))
    assert response.code == "ILLEGAL_STATE_TRANSITION"
    assert response.error["extensions"]["currentStatus"] == "RETURNED"


async def test_create_shipment_rejects_bad_input(shipments: SubgraphClient) -> None:
    line = str(uuid.uuid4())
    taken = await create(shipments, carrier="FEDEX")
    cases = [
        ({"items": []}, "BAD_USER_INPUT"),
        ({"items": [{"orderLineId": line, "sku": "SKU-MUG", "quantity": 0}]}, "BAD_USER_INPUT"),
        ({"items": [{"orderLineId": line, "sku": "SKU-MUG", "quantity": -2}]}, "BAD_USER_INPUT"),
        (
            {"items": [{"orderLineId": line, "sku": "A", "quantity": 1}] * 2},
            "BAD_USER_INPUT",
        ),
        ({"orderId": "x"}, "BAD_USER_INPUT"),
        ({"destination": {**DESTINATION, "city": ""}}, "BAD_USER_INPUT"),
        ({"carrier": "FEDEX", "trackingNumber": taken["trackingNumber"]}, "BAD_USER_INPUT"),
    ]
    for overrides, code in cases:
        assert (await shipments.execute(CREATE, create_input(**overrides))).code == code, overrides
    response = await shipments.execute("{ _service { sdl } }")
    assert "Shipment" in response.data["_service"]["sdl"]


async def test_entities_by_both_keys_and_order_shipments(shipments: SubgraphClient) -> None:
    order_id = str(uuid.uuid4())
    first = await create(shipments, orderId=order_id)
    second = await create(shipments, orderId=order_id, carrier="DHL")
    by_id = await shipments.entities(
        "Shipment", [{"id": first["id"]}, {"id": str(uuid.uuid4())}], "id carrier"
    )
    assert by_id == [{"id": first["id"], "carrier": "UPS"}, None]
    by_tracking = await shipments.entities(
        "Shipment",
        [
            {"carrier": "DHL", "trackingNumber": second["trackingNumber"]},
            {"carrier": "UPS", "trackingNumber": "1ZNOPE"},
        ],
        "id trackingNumber",
    )
    assert by_tracking == [{"id": second["id"], "trackingNumber": second["trackingNumber"]}, None]
    orders = await shipments.entities(
        "Order",
        [{"id": order_id}, {"id": str(uuid.uuid4())}],
        "id shipments { id events { status } }",
    )
    assert [s["id"] for s in orders[0]["shipments"]] == [first["id"], second["id"]]
    assert orders[1]["shipments"] == []
    query = """query($c: Carrier!, $t: String!) {
      shipmentByTracking(carrier: $c, trackingNumber: $t) { id } }"""
    found = await shipments.execute(query, {"c": "DHL", "t": second["trackingNumber"]})
    assert found.data == {"shipmentByTracking": {"id": second["id"]}}
