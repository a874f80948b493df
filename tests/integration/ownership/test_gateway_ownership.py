"""Ownership through the whole stack: demo tokens at the gateway, the principal signed to the
subgraphs, which enforce ownership; field authorization for a partner without payments:read."""

from __future__ import annotations

import asyncio
import uuid

from ownership_stack import OwnershipStack

ORDERS = """{ orders(first: 100) { totalCount edges { node { id customer { id }
  payments { id } shipments { id } } } } }"""


async def test_a_customer_reads_its_own_orders_with_payments_and_shipments(
    stack: OwnershipStack,
) -> None:
    body = await stack.gateway(ORDERS, stack.tokens["customer"])
    assert "errors" not in body, body
    nodes = [edge["node"] for edge in body["data"]["orders"]["edges"]]
    assert body["data"]["orders"]["totalCount"] == len(stack.a.order_ids)
    assert {node["id"] for node in nodes} == set(stack.a.order_ids)
    assert {node["customer"]["id"] for node in nodes} == {stack.a.customer_id}
    payments = {payment["id"] for node in nodes for payment in node["payments"]}
    shipments = {shipment["id"] for node in nodes for shipment in node["shipments"]}
    assert payments == set(stack.a.payment_ids)
    assert shipments == set(stack.a.shipment_ids)


async def test_a_foreign_order_is_indistinguishable_from_a_missing_one(
    stack: OwnershipStack,
) -> None:
    token = stack.tokens["customer"]
    query = "query($id: ID!) { order(id: $id) { id number payments { id } shipments { id } } }"
    foreign = await stack.gateway(query, token, {"id": stack.b.order_ids[0]})
    missing = await stack.gateway(query, token, {"id": str(uuid.uuid4())})
    assert foreign == missing  # errors, extensions (cost) and all
    assert foreign["data"] == {"order": None} and "errors" not in foreign
    nested = "query($id: ID!) { customer(id: $id) { id orders { totalCount } } }"
    other = await stack.gateway(nested, token, {"id": stack.b.customer_id})
    assert other["data"] == {"customer": None} and "errors" not in other
    own = await stack.gateway(nested, token, {"id": stack.a.customer_id})
    assert own["data"]["customer"]["orders"]["totalCount"] == len(stack.a.order_ids)


async def test_payments_and_shipments_of_a_foreign_order_by_their_root_fields(
    stack: OwnershipStack,
) -> None:
    token = stack.tokens["customer"]
    b = stack.b
    query = """query($p: ID!, $s: ID!, $c: Carrier!, $t: String!) {
      payment(id: $p) { id } shipment(id: $s) { id }
      shipmentByTracking(carrier: $c, trackingNumber: $t) { id order { id number } } }"""
    variables = {
        "p": b.payment_ids[0],
        "s": b.shipment_ids[0],
        "c": b.tracking[0][0],
        "t": b.tracking[0][1],
    }
    foreign = await stack.gateway(query, token, variables)
    assert foreign["data"] == {"payment": None, "shipment": None, "shipmentByTracking": None}
    assert "errors" not in foreign
    admin = await stack.gateway(query, stack.tokens["admin"], variables)
    assert admin["data"]["payment"] == {"id": b.payment_ids[0]}
    assert admin["data"]["shipmentByTracking"]["order"]["id"] in b.order_ids


async def test_concurrent_customers_never_share_an_answer(stack: OwnershipStack) -> None:
    from ownership_stack import JWT_SECRET

    from gateway.auth.demo import mint_demo_tokens

    token_b = mint_demo_tokens(JWT_SECRET, customer_id=stack.b.customer_id)["customer"]
    query = "{ orders(first: 100) { edges { node { id } } } }"
    tokens = [stack.tokens["customer"], token_b] * 5
    bodies = await asyncio.gather(*(stack.gateway(query, token) for token in tokens))
    for token, body in zip(tokens, bodies, strict=True):
        owned = stack.a if token == stack.tokens["customer"] else stack.b
        assert {edge["node"]["id"] for edge in body["data"]["orders"]["edges"]} == set(
            owned.order_ids
        )


async def test_a_partner_without_payments_read_gets_no_payment_details(
    stack: OwnershipStack,
) -> None:
    query = """{ orders(first: 2) { edges { node { number payments { id method { __typename } }
      balanceDue { amount } shipments { id } } } } }"""
    body = await stack.gateway(query, stack.tokens["partner"])
    nodes = [edge["node"] for edge in body["data"]["orders"]["edges"]]
    assert len(nodes) == 2 and all(node["number"].startswith("SO-") for node in nodes)
    assert all(node["payments"] is None and node["balanceDue"] is None for node in nodes)
    assert all(isinstance(node["shipments"], list) for node in nodes)
    codes = {error["extensions"]["code"] for error in body["errors"]}
    assert codes == {"UNAUTHORIZED_FIELD_OR_TYPE"}
    paths = {tuple(error["path"]) for error in body["errors"]}
    assert ("orders", "edges", 0, "node", "payments") in paths
    by_id = "query($id: ID!) { payment(id: $id) { id amount { amount } } }"
    direct = await stack.gateway(by_id, stack.tokens["partner"], {"id": stack.a.payment_ids[0]})
    assert direct["data"] == {"payment": None}
    assert direct["errors"][0]["extensions"]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE"
    # a count selects no Payment, so the gateway lets it through; the payments subgraph's own
    # policy (no payments scope: nothing) answers it
    counted = await stack.gateway("{ payments(first: 1) { totalCount } }", stack.tokens["partner"])
    assert counted["data"] == {"payments": {"totalCount": 0}}


async def test_anonymous_callers_see_no_orders(stack: OwnershipStack) -> None:
    body = await stack.gateway("{ orders(first: 5) { totalCount } }")
    assert body["data"] == {"orders": {"totalCount": 0}} and "errors" not in body
