"""The running shop subgraphs as the gateway tests see them (served by conftest's ``shop``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from shop_subgraphs import ShopState

from gateway.engine.core import Engine, EngineOptions, build_engine

SUPERGRAPH_PATH = Path(__file__).parent / "shop_supergraph.graphql"


@cache
def shop_supergraph() -> str:
    """The shop supergraph's SDL (read once)."""
    return SUPERGRAPH_PATH.read_text()


@dataclass
class Shop:
    """The running subgraphs: their URLs and shared state."""

    urls: dict[str, str]
    state: ShopState

    def engine(self, **options: Any) -> Engine:
        """An engine over the shop supergraph pointing at the running subgraphs."""
        urls = {**self.urls, **options.pop("subgraph_urls", {})}
        return build_engine(shop_supergraph(), EngineOptions(subgraph_urls=urls, **options))
