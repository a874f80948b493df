"""Item 4: every error code has a minimal failing set of subgraphs in ``errors/<CODE>/``.

Each case must fail composition with its code, attributed to a subgraph or to source
locations, and composition keeps going to report every problem rather than the first.
"""

from __future__ import annotations

import pytest
from composition_helpers import HERE, compose_sdls, fed2, sources_of

from gateway.composition import CompositionFailedError, ErrorCode, compose

ERROR_CASES = sorted(p.name for p in (HERE / "errors").iterdir() if p.is_dir())
#: codes raised before any SDL is read (tested with the config and source loaders)
NOT_FROM_SDL = {ErrorCode.SUBGRAPH_CONFIG_INVALID, ErrorCode.SUBGRAPH_SDL_UNAVAILABLE}
#: codes about the whole supergraph rather than one place in a subgraph
GLOBAL = {ErrorCode.NO_QUERIES}


@pytest.mark.parametrize("code", ERROR_CASES)
def test_case_fails_with_its_code(code: str) -> None:
    with pytest.raises(CompositionFailedError) as failure:
        compose(sources_of(HERE / "errors" / code))
    matching = [e for e in failure.value.errors if e.code == code]
    assert matching, failure.value.codes
    for error in matching:
        assert error.subgraph is not None or error.locations or code in GLOBAL, error
        assert error.message


def test_every_code_has_a_case() -> None:
    expected = {code.value for code in ErrorCode} - {c.value for c in NOT_FROM_SDL}
    assert expected - set(ERROR_CASES) == set()
    assert set(ERROR_CASES) - expected == set()


def test_all_problems_are_reported_not_just_the_first() -> None:
    a = fed2("key") + 'type Query { t: T }\ntype T @key(fields: "id") { id: ID! name: String }\n'
    b = fed2("key") + (
        'type T @key(fields: "id") { id: ID! name: String }\n'
        'type U @key(fields: "missing") { id: ID! }\n'
    )
    c = fed2("key") + "type Query { other: Int }\ntype Query2 { x: Unknown }\n"
    with pytest.raises(CompositionFailedError) as failure:
        compose_sdls(a=a, b=b, c=c)
    codes = failure.value.codes
    assert "INVALID_GRAPHQL" in codes
    assert "KEY_INVALID_FIELDS" in codes


def test_errors_point_at_the_source() -> None:
    sdl = fed2("key") + 'type Query {\n  t: T\n}\n\ntype T @key(fields: "nope") {\n  id: ID!\n}\n'
    with pytest.raises(CompositionFailedError) as failure:
        compose_sdls(orders=sdl)
    (error,) = failure.value.errors
    assert error.code == ErrorCode.KEY_INVALID_FIELDS
    assert error.subgraph == "orders"
    assert [(loc.subgraph, loc.line, loc.column) for loc in error.locations] == [("orders", 6, 8)]
    assert 'Cannot query field "nope" on type "T"' in error.message
