"""Which names the cost directives carry in a schema, following the ``@link`` spec.

A supergraph composed by Apollo links ``https://specs.apollo.dev/cost/v0.1``; a subgraph links
the federation spec (v2.9+), which re-exports ``@cost`` and ``@listSize``. Under the link rules a
directive is named as imported (``import: ["@listSize"]`` or ``{name: "@cost", as: "@price"}``);
a directive named like its spec (``@cost`` of the cost spec) takes the spec's name in the schema
(``as:`` renames it); any other is prefixed, ``cost__listSize``. A schema with no such link (an
IBM-style plain schema) uses the bare names ``@cost`` and ``@listSize``.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import DocumentNode

from gateway.supergraph.links import SchemaLinks

__all__ = ["CostDirectiveNames", "resolve_cost_directive_names"]


@dataclass(frozen=True, slots=True)
class CostDirectiveNames:
    """The names of ``@cost``, ``@listSize`` and ``@join__field`` in one schema."""

    cost: str = "cost"
    list_size: str = "listSize"
    join_field: str = "join__field"


def resolve_cost_directive_names(document: DocumentNode) -> CostDirectiveNames:
    """The names under which ``document`` uses the cost directives and ``@join__field``."""
    links = SchemaLinks.of(document)
    join = links.get("join")
    return CostDirectiveNames(
        cost=links.directive_name("cost", "cost", "federation"),
        list_size=links.directive_name("cost", "listSize", "federation"),
        join_field=join.directive_name("field") if join else "join__field",
    )
