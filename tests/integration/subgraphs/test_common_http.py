"""The HTTP edge every subgraph shares: probes, request ids, masking, GraphiQL."""

from __future__ import annotations

import httpx
from sqlalchemy import text
from subgraph_harness import OrdersFixture, database_of, definition, serve_subgraph


async def test_health_and_ready(orders: OrdersFixture) -> None:
    health = await orders.client.http.get("/health")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "service": "orders"}
    ready = await orders.client.http.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


async def test_ready_fails_when_the_database_is_unreachable() -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"
    async for client in serve_subgraph("orders", url):
        assert (await client.http.get("/health")).status_code == 200
        ready = await client.http.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable"


async def test_request_id_is_generated_or_echoed(orders: OrdersFixture) -> None:
    generated = await orders.client.http.get("/health")
    assert len(generated.headers["x-request-id"]) == 32
    echoed = await orders.client.http.get("/health", headers={"X-Request-ID": "abc-42"})
    assert echoed.headers["x-request-id"] == "abc-42"
    unacceptable = await orders.client.http.get("/health", headers={"X-Request-ID": "a b"})
    assert unacceptable.headers["x-request-id"] != "a b"


async def test_unexpected_errors_are_masked(orders: OrdersFixture) -> None:
    async with database_of(orders.client).write_sessions() as session:
        await session.execute(text("DROP TABLE order_lines"))
        await session.execute(text("DROP TABLE orders"))
        await session.commit()
    response = await orders.client.execute(
        "{ orders(first: 5) { totalCount } }", headers={"X-Request-ID": "boom-2"}
    )
    error = response.error
    assert error["message"] == "Internal server error"
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "boom-2"}
    assert error["path"] == ["orders"]
    assert response.body["data"] is None


async def test_graphiql_is_served_on_get(orders: OrdersFixture) -> None:
    page = await orders.client.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_graphiql_can_be_disabled() -> None:
    found = definition("orders")
    settings = found.settings(database_url="sqlite+aiosqlite:///:memory:", graphiql=False)
    app = found.create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 404
