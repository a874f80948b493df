"""Which names the cost directives carry in a schema, following the ``@link`` spec.

A supergraph composed by Apollo links ``https://specs.apollo.dev/cost/v0.1``; a subgraph links
the federation spec (v2.9+), which re-exports ``@cost`` and ``@listSize``. Under the link rules a
directive is named as imported (``import: ["@listSize"]`` or ``{name: "@cost", as: "@price"}``);
a directive named like its spec (``@cost`` of the cost spec) takes the spec's name in the schema
(``as:`` renames it); any other is prefixed, ``cost__listSize``. A schema with no such link (an
IBM-style plain schema) uses the bare names ``@cost`` and ``@listSize``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import (
    ConstValueNode,
    DirectiveNode,
    DocumentNode,
    ListValueNode,
    ObjectValueNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
)

__all__ = ["CostDirectiveNames", "resolve_cost_directive_names"]

COST_SPEC = "https://specs.apollo.dev/cost"
FEDERATION_SPEC = "https://specs.apollo.dev/federation"
JOIN_SPEC = "https://specs.apollo.dev/join"
_VERSION = re.compile(r"/v\d+\.\d+/?$")


@dataclass(frozen=True, slots=True)
class CostDirectiveNames:
    """The names of ``@cost``, ``@listSize`` and ``@join__field`` in one schema."""

    cost: str = "cost"
    list_size: str = "listSize"
    join_field: str = "join__field"


@dataclass(frozen=True, slots=True)
class _Link:
    identity: str
    name: str
    alias: str | None
    imports: dict[str, str]  # name in spec (with "@" for directives) -> name in schema

    def directive_name(self, directive: str) -> str:
        imported = self.imports.get(f"@{directive}")
        if imported is not None:
            return imported.removeprefix("@")
        prefix = self.alias or self.name
        if directive == self.name:
            return prefix
        return f"{prefix}__{directive}"


def _string(value: ConstValueNode | None) -> str | None:
    return value.value if isinstance(value, StringValueNode) else None


def _argument(directive: DirectiveNode, name: str) -> ConstValueNode | None:
    for argument in directive.arguments or ():
        if argument.name.value == name:
            return argument.value  # type: ignore[return-value]
    return None


def _imports(value: ConstValueNode | None) -> dict[str, str]:
    imports: dict[str, str] = {}
    if not isinstance(value, ListValueNode):
        return imports
    for item in value.values:
        if isinstance(item, StringValueNode):
            imports[item.value] = item.value
        elif isinstance(item, ObjectValueNode):
            fields = {field.name.value: field.value for field in item.fields}
            name = _string(fields.get("name"))
            alias = _string(fields.get("as"))
            if name is not None:
                imports[name] = alias or name
    return imports


def _link_from(directive: DirectiveNode) -> _Link | None:
    url = _string(_argument(directive, "url"))
    if url is None:
        return None
    match = _VERSION.search(url)
    identity = url[: match.start()] if match else url.rstrip("/")
    name = identity.rsplit("/", 1)[-1]
    alias = _string(_argument(directive, "as"))
    return _Link(identity, name, alias, _imports(_argument(directive, "import")))


def _links(document: DocumentNode) -> dict[str, _Link]:
    links: dict[str, _Link] = {}
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for directive in definition.directives or ():
                link = _link_from(directive)
                if link is not None:
                    links.setdefault(link.identity, link)
    return links


def resolve_cost_directive_names(document: DocumentNode) -> CostDirectiveNames:
    """The names under which ``document`` uses the cost directives and ``@join__field``."""
    links = _links(document)
    source = links.get(COST_SPEC) or links.get(FEDERATION_SPEC)
    join = links.get(JOIN_SPEC)
    defaults = CostDirectiveNames()
    return CostDirectiveNames(
        cost=source.directive_name("cost") if source else defaults.cost,
        list_size=source.directive_name("listSize") if source else defaults.list_size,
        join_field=join.directive_name("field") if join else defaults.join_field,
    )
