"""The request's path in docs/pipeline.md and docs/architecture.md is the assembly's order.

Hook by hook, stage by stage: the documented lines ``N. <hook> hook · `<stage>``` must be the
stages of ``gateway.pipeline.assembly.ordered_stages`` (everything switched on) that have each
hook, in the order the pipeline calls them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gateway.engine.core import build_engine
from gateway.pipeline.assembly import build_pipeline, ordered_stages, request_stages
from gateway.pipeline.runtime import GatewayRuntime
from gateway.pipeline.stages import (
    document_hooks,
    fetch_hooks,
    operation_hooks,
    request_hooks,
    response_hooks,
)
from gateway.settings import GatewaySettings

ROOT = Path(__file__).parents[3]
SDL = (ROOT / "tests" / "integration" / "gateway" / "shop_supergraph.graphql").read_text()
_LINE = re.compile(r"^\d+\. (request|document|operation|fetch|response) hook · `([a-z-]+)`")


def _documented(page: str) -> list[tuple[str, str]]:
    text = (ROOT / "docs" / page).read_text()
    block = text.split("<!-- request-path:begin", 1)[1].split("<!-- request-path:end -->", 1)[0]
    return [
        (match.group(1), match.group(2))
        for line in block.splitlines()
        if (match := _LINE.match(line))
    ]


def _everything_on(tmp_path: Path) -> GatewaySettings:
    return GatewaySettings(
        persisted={"clients_file": tmp_path / "clients.yaml", "watch": False},
        limits={"enabled": True, "page_size": {"enabled": True}},
        idempotency={"enabled": True, "forward_to_subgraphs": True},
    )


def _assembled(runtime: GatewayRuntime) -> list[tuple[str, str]]:
    stages = ordered_stages(runtime, build_engine(SDL))
    return [
        *(("request", stage.name) for stage in request_hooks(stages)),
        *(("document", stage.name) for stage in document_hooks(stages)),
        *(("operation", stage.name) for stage in operation_hooks(stages)),
        *(("fetch", stage.name) for stage in fetch_hooks(stages)),
        *(("response", stage.name) for stage in response_hooks(stages)),
    ]


@pytest.mark.parametrize("page", ["pipeline.md", "architecture.md"])
async def test_the_documented_path_is_the_assembly_order(page: str, tmp_path: Path) -> None:
    runtime = GatewayRuntime(_everything_on(tmp_path))
    try:
        assembled = _assembled(runtime)
        assert ("operation", "cost") in assembled and ("fetch", "idempotency") in assembled
        assert _documented(page) == assembled
    finally:
        await runtime.aclose()


async def test_the_edge_runs_the_request_hooks_and_the_pipeline_the_others(
    tmp_path: Path,
) -> None:
    runtime = GatewayRuntime(_everything_on(tmp_path))
    try:
        assert [stage.name for stage in request_stages(runtime)] == ["csrf", "authentication"]
        assert [stage.name for stage in request_stages(runtime, csrf=False)] == ["authentication"]
        pipeline = build_pipeline(SDL, runtime)
        names = [stage.name for stage in pipeline.stages]
        assert names == [stage.name for stage in ordered_stages(runtime, pipeline.engine)]
        assert pipeline.subgraph_headers.sources[0].name == "x-request-id"
        await pipeline.aclose()
    finally:
        await runtime.aclose()
