"""Helpers for the cost tests: load a fixture schema, validate a query, estimate and measure."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from graphql import DocumentNode, GraphQLSchema, build_ast_schema, parse, validate

from gateway.limits.analyzer import CostAnalyzer
from gateway.limits.settings import CostSettings
from gateway.supergraph import load_schema

FIXTURES = Path(__file__).parent / "fixtures"


@cache
def fixture_sdl(name: str) -> str:
    return (FIXTURES / name).read_text()


@cache
def _schema(sdl: str) -> GraphQLSchema:
    return build_ast_schema(parse(sdl))


def valid_document(sdl: str, query: str) -> DocumentNode:
    """``query`` parsed, after checking it is valid against the schema (typos in cases fail)."""
    document = parse(query)
    errors = validate(_schema(sdl), document)
    assert not errors, [error.message for error in errors]
    return document


def analyzer_for(sdl: str, **settings: Any) -> CostAnalyzer:
    return CostAnalyzer.from_supergraph(load_schema(sdl), CostSettings(**settings))


def estimate(
    sdl: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    analyzer: CostAnalyzer | None = None,
    operation_name: str | None = None,
    **settings: Any,
) -> float:
    analyzer = analyzer or analyzer_for(sdl, **settings)
    document = valid_document(sdl, query)
    key = hashlib.sha256(query.encode()).hexdigest()
    return analyzer.estimate(key, document, operation_name, variables).cost


def actual(
    sdl: str,
    query: str,
    data: dict[str, Any],
    variables: dict[str, Any] | None = None,
    **settings: Any,
) -> float:
    analyzer = analyzer_for(sdl, **settings)
    document = valid_document(sdl, query)
    key = hashlib.sha256(query.encode()).hexdigest()
    estimated = analyzer.estimate(key, document, None, variables)
    return analyzer.actual(estimated, variables, data)
