"""Payments over HTTP on SQLite and PostgreSQL: every mutation, entities, money rules."""

from __future__ import annotations

import uuid
from typing import Any

from subgraph_harness import SubgraphClient

PAYMENT = """
  id status processor processorReference
  amount { amount currency } capturedAmount { amount } refundedAmount { amount }
  method { __typename ... on CardPayment { brand last4 expMonth expYear }
           ... on BankTransferPayment { bankName ibanLast4 }
           ... on WalletPayment { provider accountEmail } }
  refunds { amount { amount currency } reason }
  order { id }
"""
AUTHORIZE = (
    f"mutation($i: AuthorizePaymentInput!) {{ authorizePayment(input: $i) {{ {PAYMENT} }} }}"
)
CAPTURE = f"mutation($i: CapturePaymentInput!) {{ capturePayment(input: $i) {{ {PAYMENT} }} }}"
REFUND = f"mutation($i: RefundPaymentInput!) {{ refundPayment(input: $i) {{ {PAYMENT} }} }}"
VOID = f"mutation($id: ID!) {{ voidPayment(paymentId: $id) {{ {PAYMENT} }} }}"
GET = f"query($id: ID!) {{ payment(id: $id) {{ {PAYMENT} }} }}"

VISA = {"card": {"number": "4242 4242 4242 4242", "expMonth": 12, "expYear": 2099}}


def usd(amount: int, currency: str = "USD") -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


async def authorize(
    client: SubgraphClient, amount: int = 10_000, order_id: str | None = None, **extra: Any
) -> dict[str, Any]:
    variables = {
        "i": {
            "orderId": order_id or str(uuid.uuid4()),
            "amount": usd(amount),
            "processor": "STRIPE",
            "method": VISA,
            **extra,
        }
    }
    return dict((await client.execute(AUTHORIZE, variables)).data["authorizePayment"])


async def test_authorize_stores_only_safe_card_details(payments: SubgraphClient) -> None:
    payment = await authorize(payments)
    assert payment["status"] == "AUTHORIZED"
    assert payment["processorReference"].startswith("pi_")
    assert payment["method"] == {
        "__typename": "CardPayment",
        "brand": "VISA",
        "last4": "4242",
        "expMonth": 12,
        "expYear": 2099,
    }
    assert payment["capturedAmount"] == {"amount": 0}


async def test_other_methods_and_processors(payments: SubgraphClient) -> None:
    bank = await authorize(
        payments,
        processor="ADYEN",
        method={"bankTransfer": {"bankName": "ING", "iban": "NL91 ABNA 0417 1643 00"}},
    )
    assert bank["method"] == {
        "__typename": "BankTransferPayment",
        "bankName": "ING",
        "ibanLast4": "4300",
    }
    assert bank["processorReference"].startswith("psp_")
    wallet = await authorize(
        payments,
        processor="PAYPAL",
        method={"wallet": {"provider": "APPLE_PAY", "accountEmail": "a@example.com"}},
    )
    assert wallet["method"]["provider"] == "APPLE_PAY"
    assert wallet["processorReference"].startswith("PAY-")


async def test_capture_refund_lifecycle(payments: SubgraphClient) -> None:
    payment = await authorize(payments, 10_000)
    captured = (
        await payments.execute(CAPTURE, {"i": {"paymentId": payment["id"], "amount": usd(9_000)}})
    ).data["capturePayment"]
    assert captured["status"] == "CAPTURED"
    assert captured["capturedAmount"] == {"amount": 9_000}
    partial = (
        await payments.execute(
            REFUND, {"i": {"paymentId": payment["id"], "amount": usd(4_000), "reason": "dented"}}
        )
    ).data["refundPayment"]
    assert partial["status"] == "PARTIALLY_REFUNDED"
    assert partial["refunds"] == [{"amount": usd(4_000), "reason": "dented"}]
    full = (
        await payments.execute(REFUND, {"i": {"paymentId": payment["id"], "amount": usd(5_000)}})
    ).data["refundPayment"]
    assert full["status"] == "REFUNDED"
    assert full["refundedAmount"] == {"amount": 9_000}
    assert len(full["refunds"]) == 2


async def test_capture_without_amount_takes_everything(payments: SubgraphClient) -> None:
    payment = await authorize(payments, 4_321)
    captured = (await payments.execute(CAPTURE, {"i": {"paymentId": payment["id"]}})).data[
        "capturePayment"
    ]
    assert captured["capturedAmount"] == {"amount": 4_321}


async def test_money_rules_leave_payments_unchanged(payments: SubgraphClient) -> None:
    payment = await authorize(payments, 5_000)
    pid = payment["id"]
    assert (
        await payments.execute(CAPTURE, {"i": {"paymentId": pid, "amount": usd(5_001)}})
    ).code == "AMOUNT_EXCEEDS_AUTHORIZED"
    assert (
        await payments.execute(CAPTURE, {"i": {"paymentId": pid, "amount": usd(100, "EUR")}})
    ).code == "CURRENCY_MISMATCH"
    assert (
        await payments.execute(CAPTURE, {"i": {"paymentId": pid, "amount": usd(0)}})
    ).code == "BAD_USER_INPUT"
    assert (
        await payments.execute(REFUND, {"i": {"paymentId": pid, "amount": usd(1)}})
    ).code == "ILLEGAL_STATE_TRANSITION"  # nothing captured yet
    assert (await payments.execute(GET, {"id": pid})).data["payment"] == payment

    await payments.execute(CAPTURE, {"i": {"paymentId": pid, "amount": usd(3_000)}})
    over = await payments.execute(REFUND, {"i": {"paymentId": pid, "amount": usd(3_001)}})
    assert over.code == "AMOUNT_EXCEEDS_CAPTURED"
    assert over.error["extensions"]["refundable"] == 3_000
    assert (
        await payments.execute(REFUND, {"i": {"paymentId": pid, "amount": usd(10, "GBP")}})
    ).code == "CURRENCY_MISMATCH"
    assert (
        await payments.execute(REFUND, {"i": {"paymentId": pid, "amount": usd(-5)}})
    ).code == "BAD_USER_INPUT"
    assert (
        await payments.execute(CAPTURE, {"i": {"paymentId": pid}})
    ).code == "ILLEGAL_STATE_TRANSITION"  # captures once
    assert (await payments.execute(VOID, {"id": pid})).code == "ILLEGAL_STATE_TRANSITION"
    current = (await payments.execute(GET, {"id": pid})).data["payment"]
    assert current["status"] == "CAPTURED"
    assert current["refundedAmount"] == {"amount": 0}
    assert current["refunds"] == []


async def test_void(payments: SubgraphClient) -> None:
    payment = await authorize(payments)
    voided = (await payments.execute(VOID, {"id": payment["id"]})).data["voidPayment"]
    assert voided["status"] == "VOIDED"
    assert (
        await payments.execute(CAPTURE, {"i": {"paymentId": payment["id"]}})
    ).code == "ILLEGAL_STATE_TRANSITION"


async def test_declines_and_invalid_methods_store_nothing(payments: SubgraphClient) -> None:
    order_id = str(uuid.uuid4())
    cases = [
        (
            {"method": {"card": {"number": "4000000000000002", "expMonth": 1, "expYear": 2099}}},
            "PAYMENT_DECLINED",
        ),
        (
            {"method": {"card": {"number": "4242424242424241", "expMonth": 1, "expYear": 2099}}},
            "BAD_USER_INPUT",
        ),
        (
            {"method": {"card": {"number": "4242424242424242", "expMonth": 1, "expYear": 2001}}},
            "BAD_USER_INPUT",
        ),
        ({"method": {}}, "BAD_USER_INPUT"),
        ({"method": {**VISA, "wallet": {"provider": "GOOGLE_PAY"}}}, "BAD_USER_INPUT"),
        ({"amount": usd(0)}, "BAD_USER_INPUT"),
        ({"amount": usd(100, "usd")}, "BAD_USER_INPUT"),
        ({"orderId": "order-1"}, "BAD_USER_INPUT"),
    ]
    for overrides, code in cases:
        variables = {
            "i": {
                "orderId": order_id,
                "amount": usd(100),
                "processor": "STRIPE",
                "method": VISA,
                **overrides,
            }
        }
        assert (await payments.execute(AUTHORIZE, variables)).code == code, overrides
    listing = await payments.execute("{ payments(first: 10) { totalCount } }")
    assert listing.data["payments"]["totalCount"] == 0


async def test_unknown_payment_is_not_found(payments: SubgraphClient) -> None:
    ghost = str(uuid.uuid4())
    assert (await payments.execute(CAPTURE, {"i": {"paymentId": ghost}})).code == "NOT_FOUND"
    assert (
        await payments.execute(REFUND, {"i": {"paymentId": ghost, "amount": usd(1)}})
    ).code == "NOT_FOUND"
    assert (await payments.execute(VOID, {"id": ghost})).code == "NOT_FOUND"
    assert (await payments.execute(GET, {"id": ghost})).data == {"payment": None}


async def test_entities_and_balance_due(payments: SubgraphClient) -> None:
    order_id = str(uuid.uuid4())
    first = await authorize(payments, 6_000, order_id)
    await payments.execute(CAPTURE, {"i": {"paymentId": first["id"]}})
    await payments.execute(REFUND, {"i": {"paymentId": first["id"], "amount": usd(1_000)}})
    await authorize(payments, 4_000, order_id)  # authorized only: not yet paid
    orders = await payments.entities(
        "Order",
        [
            {"id": order_id, "total": usd(10_000)},
            {"id": str(uuid.uuid4()), "total": usd(2_500)},
        ],
        "id balanceDue { amount currency } payments { status amount { amount } }",
    )
    assert orders[0]["balanceDue"] == usd(10_000 - 6_000 + 1_000)
    assert [p["status"] for p in orders[0]["payments"]] == ["PARTIALLY_REFUNDED", "AUTHORIZED"]
    assert orders[1] == {"id": orders[1]["id"], "balanceDue": usd(2_500), "payments": []}
    found = await payments.entities(
        "Payment", [{"id": first["id"]}, {"id": str(uuid.uuid4())}], "id order { id }"
    )
    assert found == [{"id": first["id"], "order": {"id": order_id}}, None]


async def test_balance_due_needs_total(payments: SubgraphClient) -> None:
    response = await payments.execute(
        "query($r: [_Any!]!) { _entities(representations: $r) "
        "{ ... on Order { balanceDue { amount } } } }",
        {"r": [{"__typename": "Order", "id": str(uuid.uuid4())}]},
    )
    assert response.code == "BAD_USER_INPUT"


async def test_payments_listing_filters(payments: SubgraphClient) -> None:
    order_id = str(uuid.uuid4())
    a = await authorize(payments, 100, order_id)
    await authorize(payments, 200)
    await payments.execute(VOID, {"id": a["id"]})
    query = """query($s: PaymentStatus, $o: ID, $after: String) {
      payments(first: 1, status: $s, orderId: $o, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }"""
    everything = (await payments.execute(query)).data["payments"]
    assert everything["totalCount"] == 2
    assert everything["pageInfo"]["hasNextPage"] is True
    rest = (await payments.execute(query, {"after": everything["pageInfo"]["endCursor"]})).data
    assert rest["payments"]["pageInfo"]["hasNextPage"] is False
    voided = (await payments.execute(query, {"s": "VOIDED"})).data["payments"]
    assert [e["node"]["id"] for e in voided["edges"]] == [a["id"]]
    mine = (await payments.execute(query, {"o": order_id})).data["payments"]
    assert mine["totalCount"] == 1
