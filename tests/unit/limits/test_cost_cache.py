"""The analyzer caches per document and per variables shape, and never serves a stale cost."""

from __future__ import annotations

import pytest
from cost_support import analyzer_for, estimate, fixture_sdl, valid_document

from gateway.limits.errors import CostAnalysisError

PRICED = fixture_sdl("priced_supergraph.graphql")
SLICED = (
    "query Q($n: Int, $text: String) { search(input: {page: {first: $n}, text: $text}) { id } }"
)
DEFAULTED = "query Q($n: Int) { skuPage(first: $n) { items { id } } }"


def test_numbers_that_size_lists_are_part_of_the_shape() -> None:
    analyzer = analyzer_for(PRICED)
    assert estimate(PRICED, SLICED, {"n": 3}, analyzer=analyzer) == 5
    assert estimate(PRICED, SLICED, {"n": 40}, analyzer=analyzer) == 42
    assert estimate(PRICED, SLICED, {"n": 3}, analyzer=analyzer) == 5
    assert analyzer.cache_info() == {"operations": 1, "costs": 2}


def test_values_that_cannot_change_the_cost_share_one_entry() -> None:
    analyzer = analyzer_for(PRICED)
    for text in ("a", "b", "c", None):
        assert estimate(PRICED, SLICED, {"n": 3, "text": text}, analyzer=analyzer) == 5
    # a string and a null are different shapes (null costs nothing), the strings are one
    assert analyzer.cache_info() == {"operations": 1, "costs": 2}


def test_a_variable_first_absent_then_sent_is_costed_each_time() -> None:
    analyzer = analyzer_for(PRICED)
    assert estimate(PRICED, DEFAULTED, {}, analyzer=analyzer) == 11  # the default, 10
    assert estimate(PRICED, DEFAULTED, {"n": 50}, analyzer=analyzer) == 51
    assert estimate(PRICED, DEFAULTED, {"n": 2}, analyzer=analyzer) == 3
    assert estimate(PRICED, DEFAULTED, {}, analyzer=analyzer) == 11


def test_an_operation_variable_default_is_used_when_the_variable_is_not_sent() -> None:
    query = "query Q($n: Int = 30) { skuPage(first: $n) { items { id } } }"
    assert estimate(PRICED, query, {}) == 31
    assert estimate(PRICED, query, {"n": 4}) == 5


def test_input_object_structure_is_part_of_the_shape() -> None:
    analyzer = analyzer_for(PRICED)
    query = "query Q($p: PriceInput) { priceWith(input: $p) }"
    assert estimate(PRICED, query, {"p": {"costly": 1}}, analyzer=analyzer) == 21
    assert estimate(PRICED, query, {"p": {"costly": 999}}, analyzer=analyzer) == 21
    assert estimate(PRICED, query, {"p": {}}, analyzer=analyzer) == 1
    assert estimate(PRICED, query, {"p": None}, analyzer=analyzer) == 0
    assert analyzer.cache_info() == {"operations": 1, "costs": 3}


def test_the_named_operation_of_a_document_is_costed() -> None:
    query = "query Cheap { tier } query Dear { audit { id } }"
    assert estimate(PRICED, query, operation_name="Cheap") == 15
    assert estimate(PRICED, query, operation_name="Dear") == 40
    with pytest.raises(CostAnalysisError, match="operation name is required"):
        estimate(PRICED, query)


def test_a_failed_estimate_is_not_cached() -> None:
    analyzer = analyzer_for(PRICED)
    query = "query Q($a: Int, $b: Int) { pick(first: $a, last: $b) { id } }"
    document = valid_document(PRICED, query)
    with pytest.raises(CostAnalysisError):
        analyzer.estimate("k", document, None, {"a": 1, "b": 2})
    assert analyzer.estimate("k", document, None, {"a": 7}).cost == 7
    with pytest.raises(CostAnalysisError):
        analyzer.estimate("k", document, None, {"a": 1, "b": 2})
