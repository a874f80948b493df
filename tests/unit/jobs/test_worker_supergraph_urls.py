"""The worker reads subgraph URLs from the supergraph itself, as the gateway's model does."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.supergraph import load_supergraph
from worker.supergraph_urls import SupergraphUrlsError, subgraph_urls_of

SUPERGRAPH = Path(__file__).resolve().parents[3] / "schema" / "supergraph.graphql"


def test_the_urls_are_the_gateway_models() -> None:
    sdl = SUPERGRAPH.read_text(encoding="utf-8")
    expected = {subgraph.name: subgraph.url for subgraph in load_supergraph(sdl).subgraphs.values()}
    assert subgraph_urls_of(sdl, {}) == expected
    assert set(expected) == {"orders", "inventory", "payments", "shipments"}


def test_overrides_win() -> None:
    sdl = SUPERGRAPH.read_text(encoding="utf-8")
    urls = subgraph_urls_of(sdl, {"orders": "http://orders.internal/graphql"})
    assert urls["orders"] == "http://orders.internal/graphql"
    assert urls["inventory"] == subgraph_urls_of(sdl, {})["inventory"]


@pytest.mark.parametrize(
    ("sdl", "message"),
    [
        ("type Query {", "the supergraph SDL is invalid"),
        ("type Query { a: Int }", "declares no subgraph"),
    ],
)
def test_an_unusable_supergraph_is_refused(sdl: str, message: str) -> None:
    with pytest.raises(SupergraphUrlsError, match=message):
        subgraph_urls_of(sdl, {})
