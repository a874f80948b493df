"""The operation point: stages wrap the rest of the pipeline, first stage outermost."""

from __future__ import annotations

from typing import Any

from gateway.engine.types import GraphQLResult
from gateway.pipeline import Operation, Proceed, chain


class Recorder:
    def __init__(self, name: str, calls: list[str], replay: GraphQLResult | None = None) -> None:
        self.name = name
        self.calls = calls
        self.replay = replay

    async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        self.calls.append(f"{self.name}:before")
        if self.replay is not None:
            return self.replay
        result = await proceed(operation)
        self.calls.append(f"{self.name}:after")
        return result


async def test_stages_run_around_execution_in_order() -> None:
    calls: list[str] = []

    async def execute(_: Any) -> GraphQLResult:
        calls.append("execute")
        return GraphQLResult(data={"ok": True})

    handler = chain([Recorder("cost", calls), Recorder("idempotency", calls)], execute)
    result = await handler(None)  # type: ignore[arg-type]
    assert result.data == {"ok": True}
    assert calls == [
        "cost:before",
        "idempotency:before",
        "execute",
        "idempotency:after",
        "cost:after",
    ]


async def test_a_stage_can_answer_without_executing() -> None:
    calls: list[str] = []
    stored = GraphQLResult(data={"replayed": True})

    async def execute(_: Any) -> GraphQLResult:
        calls.append("execute")
        return GraphQLResult(data={})

    handler = chain([Recorder("cost", calls), Recorder("idempotency", calls, stored)], execute)
    assert await handler(None) is stored  # type: ignore[arg-type]
    assert calls == ["cost:before", "idempotency:before", "cost:after"]
