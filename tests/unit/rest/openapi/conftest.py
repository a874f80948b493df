"""Compiled route catalogs for the OpenAPI tests: the repository's and the fixture's."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import GraphQLSchema

from gateway.composition._api_schema import api_schema_of
from gateway.rest.catalog import load_catalog
from gateway.rest.compile import RouteCatalog

ROOT = Path(__file__).resolve().parents[4]
FIXTURES = Path(__file__).parent / "fixtures"
REPO_ROUTES = ROOT / "persisted_queries" / "rest-routes.yaml"
REPO_SUPERGRAPH = ROOT / "schema" / "supergraph.graphql"
FIXTURE_ROUTES = FIXTURES / "routes.yaml"
FIXTURE_SCHEMA = FIXTURES / "schema.graphql"


@pytest.fixture(scope="session")
def repo_schema() -> GraphQLSchema:
    """The API schema of the checked-in supergraph."""
    return api_schema_of(REPO_SUPERGRAPH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def repo_catalog(repo_schema: GraphQLSchema) -> RouteCatalog:
    """The repository's route file compiled against the checked-in supergraph."""
    catalog = load_catalog(REPO_ROUTES, repo_schema)
    assert catalog.problems == ()
    return catalog


@pytest.fixture(scope="session")
def fixture_schema() -> GraphQLSchema:
    """The test API schema (every kind of type)."""
    return api_schema_of(FIXTURE_SCHEMA.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fixture_catalog(fixture_schema: GraphQLSchema) -> RouteCatalog:
    """The test route file (every binding kind and success status), compiled."""
    catalog = load_catalog(FIXTURE_ROUTES, fixture_schema)
    assert catalog.problems == ()
    return catalog
