"""Reading a supergraph's ``@link`` applications: under which name each spec element appears.

Under the link spec an element is named as imported (``import: ["@listSize"]``, or renamed with
``{name: "@inaccessible", as: "@hidden"}``); a directive named like its spec (``@cost`` of
``.../cost/v0.1``) takes the link's name (``as:`` renames it); any other is prefixed with the
link's namespace (``cost__listSize``, ``federation__inaccessible``). Without a link the plain
names apply. Composition has its own, stricter parser for subgraphs
(``gateway.composition.links``); this one serves the gateway's readers of supergraphs (API schema,
authorization, cost).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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

__all__ = ["SPECS", "SchemaLink", "SchemaLinks"]

#: Where the Apollo specs live; a link's identity is this plus the spec name.
SPECS = "https://specs.apollo.dev/"
_VERSION = re.compile(r"/v(\d+)\.(\d+)/?$")


@dataclass(frozen=True, slots=True)
class SchemaLink:
    """One ``@link`` application of a schema."""

    #: the URL without its version (``https://specs.apollo.dev/cost``)
    identity: str
    #: the spec's own name (``cost``)
    name: str
    #: the ``v<major>.<minor>`` version, if the URL has one
    version: tuple[int, int] | None
    #: ``as:`` of the link, if renamed
    alias: str | None
    #: element in the spec (``@cost``, ``FieldSet``) -> name in the schema
    imports: Mapping[str, str]

    @property
    def namespace(self) -> str:
        """The prefix of the link's non-imported elements."""
        return self.alias or self.name

    def directive_name(self, directive: str) -> str:
        """The schema name (no ``@``) of the spec's directive ``directive``."""
        imported = self.imports.get(f"@{directive}")
        if imported is not None:
            return imported.removeprefix("@")
        if directive == self.name:
            return self.namespace
        return f"{self.namespace}__{directive}"


def _string(value: ConstValueNode | None) -> str | None:
    return value.value if isinstance(value, StringValueNode) else None


def _argument(directive: DirectiveNode, name: str) -> ConstValueNode | None:
    for argument in directive.arguments or ():
        if argument.name.value == name:
            return argument.value  # type: ignore[return-value]
    return None


def _imports(value: ConstValueNode | None) -> dict[str, str]:
    imports: dict[str, str] = {}
    items = value.values if isinstance(value, ListValueNode) else ((value,) if value else ())
    for item in items:
        if isinstance(item, StringValueNode):
            imports[item.value] = item.value
        elif isinstance(item, ObjectValueNode):
            fields = {field.name.value: _string(field.value) for field in item.fields}
            name = fields.get("name")
            if name is not None:
                imports[name] = fields.get("as") or name
    return imports


def _link_from(directive: DirectiveNode) -> SchemaLink | None:
    url = _string(_argument(directive, "url"))
    if url is None:
        return None
    match = _VERSION.search(url)
    identity = url[: match.start()] if match else url.rstrip("/")
    version = (int(match.group(1)), int(match.group(2))) if match else None
    return SchemaLink(
        identity=identity,
        name=identity.rsplit("/", 1)[-1],
        version=version,
        alias=_string(_argument(directive, "as")),
        imports=_imports(_argument(directive, "import")),
    )


@dataclass(frozen=True, slots=True)
class SchemaLinks:
    """Every ``@link`` of a schema document, by spec identity."""

    by_identity: Mapping[str, SchemaLink]

    @classmethod
    def of(cls, document: DocumentNode) -> SchemaLinks:
        """The links applied on ``document``'s schema definition and extensions."""
        links: dict[str, SchemaLink] = {}
        for definition in document.definitions:
            if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
                for directive in definition.directives or ():
                    link = _link_from(directive)
                    if link is not None:
                        links.setdefault(link.identity, link)
        return cls(links)

    def get(self, spec: str) -> SchemaLink | None:
        """The link of spec ``spec`` (a name under specs.apollo.dev, or a full identity)."""
        return self.by_identity.get(spec if "://" in spec else SPECS + spec)

    def directive_name(self, spec: str, directive: str, *fallbacks: str) -> str:
        """The schema name of ``@directive`` from ``spec`` (else from the first linked fallback
        spec, such as ``federation``); the plain name when none is linked."""
        for candidate in (spec, *fallbacks):
            link = self.get(candidate)
            if link is not None:
                return link.directive_name(directive)
        return directive
