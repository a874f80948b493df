"""Mutations: +10 each; aliasing many mutations into one operation does not make them cheaper."""

from __future__ import annotations

from cost_support import actual, estimate, fixture_sdl

PLAIN = fixture_sdl("plain_warehouse.graphql")
ONE = 'mutation { createBin(code: "a") { code } }'


def _aliased(count: int) -> str:
    fields = " ".join(f'm{i}: createBin(code: "{i}") {{ code }}' for i in range(count))
    return f"mutation {{ {fields} }}"


def test_one_mutation_costs_its_weight_plus_its_selection() -> None:
    assert estimate(PLAIN, ONE) == 11


def test_aliasing_50_mutations_costs_50_mutations() -> None:
    assert estimate(PLAIN, _aliased(50)) == 50 * estimate(PLAIN, ONE) == 550


def test_apollo_router_charges_the_mutation_weight_once_per_operation() -> None:
    assert estimate(PLAIN, _aliased(50), mutation_weight_per_root_field=False) == 10 + 50


def test_root_fields_through_fragments_count_once_per_response_key() -> None:
    query = """
    mutation { ...Both touch }
    fragment Both on Mutation { touch createBin(code: "x") { code } }
    """
    assert estimate(PLAIN, query) == 2 * 10 + 1


def test_the_mutation_weight_is_configurable() -> None:
    assert estimate(PLAIN, ONE, mutation_weight=25) == 26


def test_the_actual_cost_of_a_mutation_keeps_its_weight() -> None:
    assert actual(PLAIN, ONE, {"createBin": {"code": 1}}) == 11
    assert actual(PLAIN, ONE, {"createBin": None}) == 10
