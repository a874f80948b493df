"""The request lookup's redaction and writer: variable values replaced by their kind (secrets
always), records written after the fact with a bounded backlog."""

from __future__ import annotations

import asyncio
from typing import Any

from fake_clock import FakeClock

from gateway.engine.types import RequestContext
from gateway.observability.lookup.record import redact
from gateway.observability.lookup.settings import RequestLookupSettings
from gateway.observability.lookup.store import MemoryLookupStore
from gateway.observability.lookup.writer import LookupWriter
from gateway.observability.observation import RequestObservation

VARIABLES: dict[str, Any] = {
    "first": 2,
    "search": "s3cret",
    "ratio": 0.5,
    "flag": True,
    "after": None,
    "input": {"email": "a@example.com", "password": "hunter2", "tags": ["x", "y"]},
    "apiKey": "og_live_abc",
}


def test_values_become_their_kind_keeping_names_keys_lengths_and_nulls() -> None:
    assert redact(VARIABLES, keep=False) == {
        "first": "<int>",
        "search": "<string>",
        "ratio": "<float>",
        "flag": "<boolean>",
        "after": None,
        "input": {"email": "<string>", "password": "<string>", "tags": ["<string>", "<string>"]},
        "apiKey": "<string>",
    }


def test_kept_values_never_include_secret_looking_names() -> None:
    kept = redact(VARIABLES, keep=True)
    assert kept["search"] == "s3cret" and kept["input"]["email"] == "a@example.com"
    assert kept["input"]["password"] == "<string>"
    assert kept["apiKey"] == "<string>"
    assert redact({"token": {"value": "t"}}, keep=True) == {"token": {"value": "<string>"}}


class GatedStore(MemoryLookupStore):
    """A memory store whose writes wait until the test opens the gate (a slow Redis)."""

    def __init__(self) -> None:
        super().__init__(60, 100, FakeClock())
        self.gate = asyncio.Event()

    async def put(self, request_id: str, owner: str, record: dict[str, Any]) -> None:
        await self.gate.wait()
        await super().put(request_id, owner, record)


def _observation(request_id: str) -> RequestObservation:
    observation = RequestObservation("graphql", 0.0, status=200)
    observation.context = RequestContext(request_id)
    return observation


async def test_writes_wait_beyond_the_request_and_the_backlog_is_bounded() -> None:
    store = GatedStore()
    writer = LookupWriter(store, RequestLookupSettings(max_backlog=2))
    scope = {"type": "http", "method": "POST", "path": "/graphql"}
    for number in range(5):
        writer.record(scope, _observation(f"r-{number}"), 0.01)  # returns at once
    assert writer.dropped == 3 and len(store) == 0
    store.gate.set()
    await writer.drain()
    assert len(store) == 2
    record = await store.get_any("r-0")
    assert record is not None and record["status"] == 200 and record["durationMs"] == 10.0


def test_a_cached_plan_is_printed_once_and_another_plan_again() -> None:
    from gateway.observability.lookup.record import PlanTexts
    from gateway.planning.display import format_plan
    from gateway.planning.nodes import Fetch, QueryPlan

    first = QueryPlan(Fetch(id=0, service="orders", operation="{ orders { totalCount } }"))
    second = QueryPlan(Fetch(id=1, service="inventory", operation="{ warehouses { code } }"))
    texts = PlanTexts(max_entries=1)
    assert texts.text(first) == format_plan(first)
    assert texts.text(first) is texts.text(first)  # the same string: printed once
    assert texts.text(second) == format_plan(second)  # evicts the first
    assert texts.text(first) == format_plan(first)
