"""Costs over our own supergraph: the subgraphs' @listSize annotations reach the estimates."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse

from gateway.limits import CostAnalyzer
from gateway.limits.settings import LimitsSettings
from gateway.supergraph import load_supergraph
from ordergate.examples import CROSS_SUBGRAPH_QUERY

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def analyzer() -> CostAnalyzer:
    sdl = (ROOT / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
    return CostAnalyzer.from_supergraph(load_supergraph(sdl), LimitsSettings().cost)


@pytest.mark.parametrize(("first", "cost"), [(20, 62), (100, 302), (999_999_999, 2_999_999_999)])
def test_a_connection_is_sized_by_first_through_edges(
    analyzer: CostAnalyzer, first: int, cost: int
) -> None:
    # the shipped partner operation: 1 + first x (edge 1 + order 1 + money 1) + pageInfo 1
    document = parse(
        (ROOT / "persisted_queries/operations/acme-partner/orders.graphql").read_text()
    )
    estimate = analyzer.estimate(f"partner-{first}", document, "PartnerOrders", {"first": first})
    assert estimate.cost == cost


def test_an_omitted_first_counts_at_its_default(analyzer: CostAnalyzer) -> None:
    document = parse(
        (ROOT / "persisted_queries/operations/acme-partner/orders.graphql").read_text()
    )
    assert analyzer.estimate("partner-default", document, "PartnerOrders", {}).cost == 62


def test_bounded_lists_count_at_their_assumed_size(analyzer: CostAnalyzer) -> None:
    lines = parse('{ order(id: "1") { lines { product { name } } } }')
    # order 1 + 10 lines x (line 1 + product 1)
    assert analyzer.estimate("lines", lines, None, {}).cost == 21
    assert analyzer.estimate("cross", parse(CROSS_SUBGRAPH_QUERY), None, {}).cost < 1000
