"""The Strawberry Federation-2 schema class every subgraph uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from subgraphs.common.error_formatting import DomainErrorFormatter

__all__ = ["FEDERATION_VERSION", "SubgraphSchema", "build_schema"]

#: The Federation version the subgraphs link (``@link(url: ".../federation/v2.9")``): 2.5 brings
#: ``@requiresScopes``, 2.9 the cost directives (``@cost``, ``@listSize``).
FEDERATION_VERSION = "2.9"


class SubgraphSchema(strawberry.federation.Schema):
    """A federation schema whose errors are logged by :class:`DomainErrorFormatter`."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Do nothing: the formatter logs each error once, at a level fitting its kind."""
        del errors, execution_context


def build_schema(
    *,
    query: type,
    mutation: type | None = None,
    types: Iterable[type] = (),
    federation_version: str = FEDERATION_VERSION,
) -> SubgraphSchema:
    """A subgraph schema with the shared extensions and federation version."""
    kwargs: dict[str, Any] = {"federation_version": federation_version}
    return SubgraphSchema(
        query=query,
        mutation=mutation,
        types=list(types),
        extensions=[DomainErrorFormatter],
        **kwargs,
    )
