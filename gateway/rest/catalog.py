"""Read the route file and its documents and compile them against an API schema."""

from __future__ import annotations

from pathlib import Path

import structlog
from graphql import GraphQLSchema

from gateway.rest.compile import RouteCatalog, compile_routes, load_documents
from gateway.rest.config import RouteConfigError, RouteFile, load_route_file

__all__ = ["RouteCatalogs", "load_catalog"]

_log = structlog.get_logger(__name__)


def load_catalog(routes_file: Path, schema: GraphQLSchema) -> RouteCatalog:
    """The routes of ``routes_file`` (documents relative to it) compiled against ``schema``.

    Raises :class:`~gateway.rest.config.RouteConfigError` when the file cannot be read or does
    not match the model; routes that do not compile are in ``catalog.problems``.
    """
    route_file = load_route_file(routes_file)
    documents, problems = load_documents(routes_file.parent / route_file.documents)
    return compile_routes(route_file, documents, schema, problems)


class RouteCatalogs:
    """The compiled routes of the supergraph being served, compiled once per supergraph (a hot
    reload compiles them again, against the new API schema, on first use)."""

    def __init__(self, routes_file: Path) -> None:
        self._routes_file = routes_file
        self._current: tuple[str, RouteCatalog] | None = None

    def for_supergraph(self, supergraph_hash: str, schema: GraphQLSchema) -> RouteCatalog:
        """The routes compiled against ``schema`` (the API schema of ``supergraph_hash``).

        Routes that do not compile are left out and logged once per supergraph; a route file
        that cannot be read gives no routes (logged).
        """
        current = self._current
        if current is not None and current[0] == supergraph_hash:
            return current[1]
        try:
            catalog = load_catalog(self._routes_file, schema)
        except RouteConfigError as error:
            _log.error("rest routes not served", problem=str(error))
            catalog = RouteCatalog("/api/v1", (), (), RouteFile())
        for problem in catalog.problems:
            _log.error("rest route not served", route=problem.route, problem=problem.message)
        self._current = (supergraph_hash, catalog)
        return catalog
