"""Read the route file and its documents and compile them against an API schema."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLSchema

from gateway.rest.compile import RouteCatalog, compile_routes, load_documents
from gateway.rest.config import load_route_file

__all__ = ["load_catalog"]


def load_catalog(routes_file: Path, schema: GraphQLSchema) -> RouteCatalog:
    """The routes of ``routes_file`` (documents relative to it) compiled against ``schema``.

    Raises :class:`~gateway.rest.config.RouteConfigError` when the file cannot be read or does
    not match the model; routes that do not compile are in ``catalog.problems``.
    """
    route_file = load_route_file(routes_file)
    documents, problems = load_documents(routes_file.parent / route_file.documents)
    return compile_routes(route_file, documents, schema, problems)
