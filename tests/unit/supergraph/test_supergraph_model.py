"""One supergraph model: the SDL is parsed once per load, and the model carries what
authorization and cost read (the auth directives, ``@cost``, ``@listSize``, ``requires``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema
from graphql.language.parser import Parser

from gateway.authz import AuthorizationIndex, AuthorizationSettings, Authorizer, Requirement
from gateway.limits import CostAnalyzer, CostModel, PageSizeLimits, build_cost_model
from gateway.pipeline.factory import build_pipeline
from gateway.pipeline.runtime import GatewayRuntime
from gateway.settings import GatewaySettings
from gateway.supergraph import (
    AuthDirective,
    CostDirective,
    ListSizeDirective,
    Supergraph,
    SupergraphError,
    load_schema,
    load_supergraph,
)

ROOT = Path(__file__).parents[3]
OUR_SUPERGRAPH = (ROOT / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
AUTH_AND_COST = (
    Path(__file__).parents[1] / "composition" / "cases" / "auth-and-cost" / "supergraph.graphql"
).read_text(encoding="utf-8")


class _Counts:
    def __init__(self, sdl: str) -> None:
        self.sdl = sdl
        self.sdl_parses = 0
        self.schemas = 0


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Counts]:
    """Counts graphql-core's parses of our supergraph's SDL and the schemas it builds."""
    found = _Counts(OUR_SUPERGRAPH)
    parse_document = Parser.parse_document
    schema_init = GraphQLSchema.__init__

    def counting_parse(self: Parser) -> Any:
        if self._lexer.source.body == found.sdl:
            found.sdl_parses += 1
        return parse_document(self)

    def counting_init(self: GraphQLSchema, *args: Any, **kwargs: Any) -> None:
        found.schemas += 1
        schema_init(self, *args, **kwargs)

    monkeypatch.setattr(Parser, "parse_document", counting_parse)
    monkeypatch.setattr(GraphQLSchema, "__init__", counting_init)
    yield found


def test_a_pipeline_parses_the_supergraph_once_and_builds_two_schemas(counts: _Counts) -> None:
    runtime = GatewayRuntime(GatewaySettings())
    assert runtime.settings.limits.enabled and runtime.settings.limits.page_size.enabled
    pipeline = build_pipeline(OUR_SUPERGRAPH, runtime)
    # one parse (the loader); two schemas: the supergraph schema and the API schema. The
    # authorizer and the cost model (estimates and page sizes) read the loaded model.
    assert counts.sdl_parses == 1
    assert counts.schemas == 2
    assert not pipeline.authorizer.index.is_empty


def test_the_model_carries_the_auth_directives_as_composed() -> None:
    directives = load_supergraph(AUTH_AND_COST).directives
    assert directives.auth["Account"] == (AuthDirective("authenticated", "authenticated"),)
    assert directives.auth["Account.email"] == (
        AuthDirective(
            "requiresScopes", "requiresScopes", [["profile:read"], ["admin", "email:read"]]
        ),
    )
    assert directives.auth["Order"] == (
        AuthDirective("requiresScopes", "requiresScopes", [["orders:read"]]),
    )
    assert directives.auth["Order.notes"] == (AuthDirective("policy", "policy", [["support"]]),)
    assert directives.auth["SearchResult"] == (
        AuthDirective("authenticated", "authenticated"),
        AuthDirective("requiresScopes", "requiresScopes", [["orders:read"]]),
    )
    assert directives.auth["Query.orders"] == (AuthDirective("authenticated", "authenticated"),)
    assert "Order.paidAt" not in directives.auth  # @tag is no authorization directive


def test_the_model_carries_the_cost_directives_as_composed() -> None:
    directives = load_supergraph(AUTH_AND_COST).directives
    assert directives.cost == {
        "Account.credits": CostDirective(3),
        "Order.total": CostDirective(5),
        "Query.orders": CostDirective(2),
    }
    assert directives.list_sizes == {
        "Query.orders": (ListSizeDirective(assumed_size=50, slicing_arguments=["first"]),),
        "Query.search": (ListSizeDirective(assumed_size=10),),
    }


def test_the_model_carries_requires_selections() -> None:
    directives = load_supergraph(OUR_SUPERGRAPH).directives
    assert directives.requires  # our supergraph has @requires fields
    assert all(isinstance(selection, str) for selection in directives.requires.values())


def test_authorization_and_cost_are_built_from_the_model() -> None:
    supergraph = load_supergraph(AUTH_AND_COST)
    authorizer = Authorizer.from_supergraph(supergraph, AuthorizationSettings())
    assert authorizer.index == AuthorizationIndex.from_directives(supergraph.directives)
    assert authorizer.index.field_requirement("Order", "notes") == Requirement(
        policies=(frozenset({"support"}),)
    )
    model = build_cost_model(supergraph)
    orders = model.field("Query", "orders")
    assert orders is not None and orders.weight == 2
    assert orders.list_sizes[0].assumed_size == 50
    assert orders.list_sizes[0].slicing_arguments == (("first",),)
    assert CostAnalyzer.from_supergraph(supergraph).model == model
    assert PageSizeLimits(model).unknown_overrides() == []


def test_no_reader_of_the_sdl_remains_beside_the_loader() -> None:
    assert not hasattr(CostAnalyzer, "from_sdl")
    assert not hasattr(CostModel, "from_sdl")
    assert not hasattr(CostModel, "from_document")
    assert not hasattr(AuthorizationIndex, "from_supergraph")


def test_the_model_is_frozen() -> None:
    supergraph = load_supergraph(AUTH_AND_COST)
    assert isinstance(supergraph, Supergraph)
    with pytest.raises(AttributeError):
        supergraph.directives = supergraph.directives  # type: ignore[misc]
    with pytest.raises(TypeError):
        supergraph.directives.cost["Order.total"] = CostDirective(1)  # type: ignore[index]


@pytest.mark.parametrize("load", [load_schema, load_supergraph])
def test_an_unbuildable_schema_is_a_supergraph_error(load: Any) -> None:
    # graphql-core raises a TypeError for an unknown type; the loader reports it typed
    with pytest.raises(SupergraphError, match=r"cannot be built: .*Unknown type: 'Missing'"):
        load("type Query { a: Missing }")
