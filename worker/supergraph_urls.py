"""The subgraph URLs a worker calls, read from the supergraph's ``join__Graph`` enum.

The worker needs nothing of the supergraph but where each subgraph is, so it reads only the
``@join__graph(name:, url:)`` values with graphql-core (no gateway model, ADR 0311)::

    enum join__Graph {
      ORDERS @join__graph(name: "orders", url: "http://127.0.0.1:4001/graphql")
    }

Usage::

    urls = subgraph_urls_of(Path("schema/supergraph.graphql").read_text(), {"orders": "..."})
"""

from __future__ import annotations

from collections.abc import Mapping

from graphql import EnumTypeDefinitionNode, GraphQLError, StringValueNode, parse

__all__ = ["SupergraphUrlsError", "subgraph_urls_of"]


class SupergraphUrlsError(ValueError):
    """The supergraph does not parse or names no subgraph."""


def _graph_values(supergraph_sdl: str) -> dict[str, str]:
    try:
        document = parse(supergraph_sdl, no_location=True)
    except GraphQLError as exc:
        raise SupergraphUrlsError(f"the supergraph SDL is invalid: {exc.message}") from exc
    urls: dict[str, str] = {}
    for definition in document.definitions:
        if not isinstance(definition, EnumTypeDefinitionNode):
            continue
        if definition.name.value != "join__Graph":
            continue
        for value in definition.values or ():
            for directive in value.directives or ():
                if directive.name.value != "join__graph":
                    continue
                args = {
                    argument.name.value: argument.value.value
                    for argument in directive.arguments or ()
                    if isinstance(argument.value, StringValueNode)
                }
                if "name" in args and "url" in args:
                    urls[args["name"]] = args["url"]
    return urls


def subgraph_urls_of(supergraph_sdl: str, overrides: Mapping[str, str]) -> dict[str, str]:
    """Subgraph name -> URL from a supergraph, with ``overrides`` on top; raises
    :class:`SupergraphUrlsError` when the supergraph is invalid or names no subgraph."""
    urls = _graph_values(supergraph_sdl)
    if not urls:
        raise SupergraphUrlsError("the supergraph declares no subgraph (no join__Graph enum)")
    urls.update(overrides)
    return urls
