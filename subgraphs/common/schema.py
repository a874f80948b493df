"""The Strawberry Federation-2 schema class every subgraph uses.

Every subgraph schema caches parsing and validation per document text (docs/adr/0010): the
gateway sends the same few operations (root fields, ``_entities`` with variables) over and
over, and validating each one again was 14-38 % of a subgraph's CPU in scenario 2. A cached
document is the same object for the same text and its validation result (errors included) is
the same against the same schema and rules, which are part of the key; a text that fails to
parse is not cached and is left to Strawberry's own parse, which reports the syntax error in the
result (Strawberry's ``ParserCache`` would raise it out of the operation, past the formatter).
The error formatter rebuilds errors, so cached ones are never changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.types import ExecutionContext

from subgraphs.common.error_formatting import DomainErrorFormatter

__all__ = ["DOCUMENT_CACHE_SIZE", "FEDERATION_VERSION", "SubgraphSchema", "build_schema"]

#: The Federation version the subgraphs link (``@link(url: ".../federation/v2.9")``): 2.5 brings
#: ``@requiresScopes``, 2.9 the cost directives (``@cost``, ``@listSize``).
FEDERATION_VERSION = "2.9"

#: Distinct document texts whose parse and validation are kept (least recently used evicted);
#: bounded, so that clients sending ever new texts cannot grow memory.
DOCUMENT_CACHE_SIZE = 256


class _DocumentParserCache(ParserCache):
    """Strawberry's ``ParserCache``, leaving a text that does not parse to Strawberry's parse."""

    def on_parse(self) -> Iterator[None]:
        """Set the cached document of the text, unless the text does not parse."""
        context = self.execution_context
        if context.query and context.graphql_document is None:
            with contextlib.suppress(GraphQLError):
                context.graphql_document = self.cached_parse_document(
                    context.query, **context.parse_options
                )
        yield


def _parser_cache() -> SchemaExtension:
    return _DocumentParserCache(maxsize=DOCUMENT_CACHE_SIZE)


def _validation_cache() -> SchemaExtension:
    return ValidationCache(maxsize=DOCUMENT_CACHE_SIZE)


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
        extensions=[_parser_cache, _validation_cache, DomainErrorFormatter],
        **kwargs,
    )
