"""``@link`` resolution: which spec element each directive/type name of a schema stands for.

The one ``@link`` reader of the gateway (pure: it reads parsed documents, nothing else). Under
the link spec an element is named as imported (``import: ["@listSize"]``, or renamed with
``{name: "@key", as: "@primaryKey"}``); a directive named like its spec (``@cost`` of
``.../cost/v0.1``) takes the link's name (``as:`` renames it); any other is prefixed with the
link's namespace (``federation__key``, ``fed__key`` with ``as: "fed"``, ``cost__listSize``).
Without a link the plain names apply.

Two entry points share that rule:

- :func:`parse_links` checks a subgraph's links strictly (composition errors for malformed
  imports, unknown versions) and registers the federation and standalone spec elements; a
  Federation 1 subgraph has no link and gets the default names;
- :meth:`SchemaLinks.of` reads a composed supergraph's (or any schema's) links leniently, for the
  gateway's readers of supergraphs (the supergraph model: API schema, authorization and cost
  directives).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graphql.language import (
    ConstDirectiveNode,
    ConstValueNode,
    DocumentNode,
    ListValueNode,
    ObjectValueNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
)

from gateway.composition import specs
from gateway.composition.errors import CompositionError, ErrorCode, locations_of
from gateway.composition.specs import FeatureUrl, Version

__all__ = ["SPECS", "Link", "Links", "SchemaLink", "SchemaLinks", "parse_links"]

#: Where the Apollo specs live; a link's identity is this plus the spec name.
SPECS = "https://specs.apollo.dev/"
_VERSION = re.compile(r"/v(\d+)\.(\d+)/?$")


def _name_in_schema(imports: Mapping[str, str], spec: str, namespace: str, element: str) -> str:
    """Schema name (no ``@``) of ``element`` (``@key``, ``FieldSet``) of the spec ``spec``."""
    if element in imports:
        return imports[element].removeprefix("@")
    bare = element.removeprefix("@")
    if element.startswith("@") and bare == spec:
        return namespace
    return f"{namespace}__{bare}"


@dataclass(slots=True)
class Link:
    """One ``@link`` application."""

    url: FeatureUrl
    namespace: str
    #: element in spec (``@key``, ``FieldSet``) -> name in schema (``@key``, ``FieldSet``)
    imports: dict[str, str]
    purpose: str | None
    node: ConstDirectiveNode | None = None

    def name_in_schema(self, element: str) -> str:
        """Schema name of a spec element (``@key`` -> ``key`` / ``federation__key``; no ``@``)."""
        return _name_in_schema(self.imports, self.url.name, self.namespace, element)


@dataclass(slots=True)
class Links:
    """The links of one subgraph, with reverse lookup from schema names to spec elements."""

    link_directive: str = "link"
    links: list[Link] = field(default_factory=list)
    #: federation version (``None``: a Federation 1 subgraph)
    federation_version: Version | None = None
    #: schema directive name -> (spec identity, directive name in spec)
    directive_sources: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: schema type name -> (spec identity, type name in spec)
    type_sources: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: schema directive name -> definition SDL (spec templates filled in)
    directive_definitions: dict[str, str] = field(default_factory=dict)
    #: schema type name -> definition SDL
    type_definitions: dict[str, str] = field(default_factory=dict)

    @property
    def is_fed2(self) -> bool:
        """Whether the subgraph links a Federation 2 spec."""
        return self.federation_version is not None

    def canonical_directive(self, schema_name: str) -> str | None:
        """The spec-level name (``key``) of a directive known in this schema as ``schema_name``."""
        source = self.directive_sources.get(schema_name)
        return None if source is None else source[1]

    def schema_directive_name(self, canonical: str) -> str | None:
        """The schema name of the federation (or linked spec) directive ``canonical``."""
        for schema_name, (_, name) in self.directive_sources.items():
            if name == canonical:
                return schema_name
        return None

    def is_spec_type(self, schema_name: str) -> bool:
        """Whether ``schema_name`` is a type a linked spec defines (not a user type)."""
        return schema_name in self.type_sources

    def link_of(self, schema_directive: str) -> Link | None:
        """The @link a directive of this schema comes from."""
        identity = self.spec_identity(schema_directive)
        return next((link for link in self.links if link.url.identity == identity), None)

    def spec_identity(self, schema_directive: str) -> str | None:
        """The spec identity a directive comes from."""
        source = self.directive_sources.get(schema_directive)
        return None if source is None else source[0]


def _string(value: ConstValueNode | None) -> str | None:
    return value.value if isinstance(value, StringValueNode) else None


def _argument(node: ConstDirectiveNode, name: str) -> ConstValueNode | None:
    for argument in node.arguments or ():
        if argument.name.value == name:
            return argument.value
    return None


class _LinkParser:
    def __init__(self, subgraph: str) -> None:
        self.subgraph = subgraph
        self.errors: list[CompositionError] = []

    def error(self, code: ErrorCode, message: str, node: ConstDirectiveNode) -> None:
        self.errors.append(
            CompositionError(code, message, self.subgraph, locations_of(self.subgraph, [node]))
        )

    def imports(self, node: ConstDirectiveNode) -> dict[str, str]:
        value = _argument(node, "import")
        if value is None:
            return {}
        items = value.values if isinstance(value, ListValueNode) else (value,)
        imports: dict[str, str] = {}
        for item in items:
            if isinstance(item, StringValueNode):
                imports[item.value] = item.value
                continue
            if isinstance(item, ObjectValueNode):
                entries = {f.name.value: _string(f.value) for f in item.fields}
                name, alias = entries.get("name"), entries.get("as", entries.get("name"))
                if name and alias and name.startswith("@") == alias.startswith("@"):
                    imports[name] = alias
                    continue
                self.error(
                    ErrorCode.INVALID_LINK_DIRECTIVE_USAGE,
                    f'Invalid @link import {{{", ".join(entries)}}}: "name" and "as" must both be'
                    ' directives ("@x") or both be types',
                    node,
                )
                continue
            self.error(
                ErrorCode.INVALID_LINK_DIRECTIVE_USAGE,
                "Invalid @link import: expected a string or {name, as} object",
                node,
            )
        return imports

    def link(self, node: ConstDirectiveNode) -> Link | None:
        url_text = _string(_argument(node, "url"))
        if url_text is None:
            self.error(
                ErrorCode.INVALID_LINK_DIRECTIVE_USAGE,
                '@link requires a string "url" argument',
                node,
            )
            return None
        url = FeatureUrl.parse(url_text)
        if url is None:
            self.error(
                ErrorCode.INVALID_LINK_IDENTIFIER,
                f'Invalid @link url "{url_text}": expected <identity>/<name>/v<major>.<minor>',
                node,
            )
            return None
        alias = _string(_argument(node, "as"))
        purpose_node = _argument(node, "for")
        purpose = getattr(purpose_node, "value", None)
        return Link(url, alias or url.name, self.imports(node), purpose, node)


def _link_directive_name(schema_directives: Sequence[ConstDirectiveNode]) -> str:
    for node in schema_directives:
        url = FeatureUrl.parse(_string(_argument(node, "url")) or "")
        if url is not None and url.identity == specs.LINK_IDENTITY:
            return _string(_argument(node, "as")) or "link"
    return "link"


def _fill(template: str, name: str, types: dict[str, str]) -> str:
    return template.replace("{name}", name).format(**types) if "{" in template else template


def _register_fed1(links: Links) -> None:
    for directive, template in specs.FED1_DIRECTIVES.items():
        links.directive_sources[directive] = (specs.FEDERATION_IDENTITY, directive)
        links.directive_definitions[directive] = _fill(
            template, directive, {"FieldSet": specs.FED1_FIELD_SET}
        )
    links.type_sources[specs.FED1_FIELD_SET] = (specs.FEDERATION_IDENTITY, "FieldSet")
    links.type_definitions[specs.FED1_FIELD_SET] = f"scalar {specs.FED1_FIELD_SET}"


def _register(
    parser: _LinkParser,
    links: Links,
    link: Link,
    directives: dict[str, str],
    types: list[str],
) -> None:
    known = {f"@{d}" for d in directives} | set(types)
    for element in link.imports:
        if element not in known:
            assert link.node is not None
            parser.error(
                ErrorCode.INVALID_LINK_DIRECTIVE_USAGE,
                f'Cannot import unknown element "{element}".',
                link.node,
            )
    type_names = {t: link.name_in_schema(t) for t in types}
    for type_in_spec, schema_name in type_names.items():
        links.type_sources[schema_name] = (link.url.identity, type_in_spec)
        links.type_definitions[schema_name] = f"scalar {schema_name}"
    for directive, template in directives.items():
        schema_name = link.name_in_schema(f"@{directive}")
        links.directive_sources[schema_name] = (link.url.identity, directive)
        links.directive_definitions[schema_name] = _fill(template, schema_name, type_names)


def _register_link_spec(links: Links, link: Link | None) -> None:
    namespace = link.namespace if link else "link"
    import_name = link.name_in_schema("Import") if link else "link__Import"
    purpose_name = link.name_in_schema("Purpose") if link else "link__Purpose"
    links.link_directive = namespace if link is None or "@link" not in link.imports else "link"
    links.directive_sources[links.link_directive] = (specs.LINK_IDENTITY, "link")
    links.directive_definitions[links.link_directive] = (
        f"directive @{links.link_directive}(url: String, as: String, for: {purpose_name},"
        f" import: [{import_name}]) repeatable on SCHEMA"
    )
    links.type_sources[import_name] = (specs.LINK_IDENTITY, "Import")
    links.type_definitions[import_name] = f"scalar {import_name}"
    links.type_sources[purpose_name] = (specs.LINK_IDENTITY, "Purpose")
    links.type_definitions[purpose_name] = f"enum {purpose_name} {{ SECURITY EXECUTION }}"


def parse_links(
    subgraph: str, schema_directives: Sequence[ConstDirectiveNode]
) -> tuple[Links, list[CompositionError]]:
    """Resolve the ``@link`` applications found on ``schema``/``extend schema``."""
    parser = _LinkParser(subgraph)
    links = Links(link_directive=_link_directive_name(schema_directives))
    for node in schema_directives:
        if node.name.value == links.link_directive:
            link = parser.link(node)
            if link is not None:
                links.links.append(link)
    federation = [link for link in links.links if link.url.identity == specs.FEDERATION_IDENTITY]
    if not federation:
        _register_fed1(links)
        return links, parser.errors
    if len(federation) > 1:
        parser.error(
            ErrorCode.INVALID_LINK_DIRECTIVE_USAGE,
            "The federation spec is linked more than once",
            federation[1].node or schema_directives[0],
        )
    fed_link = federation[0]
    if fed_link.url.version not in specs.FEDERATION_VERSIONS:
        assert fed_link.node is not None
        parser.error(
            ErrorCode.UNKNOWN_FEDERATION_LINK_VERSION,
            f"Invalid version {fed_link.url.version[0]}.{fed_link.url.version[1]} for the"
            " federation feature in @link directive on schema",
            fed_link.node,
        )
        return links, parser.errors
    links.federation_version = fed_link.url.version
    link_self = next((k for k in links.links if k.url.identity == specs.LINK_IDENTITY), None)
    if link_self is not None and link_self.url.version != (1, 0):
        assert link_self.node is not None
        parser.error(
            ErrorCode.INVALID_LINK_DIRECTIVE_USAGE,
            f"Schema uses unknown version {link_self.url.version[0]}.{link_self.url.version[1]}"
            " of the link spec",
            link_self.node,
        )
    _register_link_spec(links, link_self)
    for link in links.links:
        if link.url.identity == specs.FEDERATION_IDENTITY:
            version = link.url.version
            _register(
                parser,
                links,
                link,
                specs.federation_directives(version),
                specs.federation_types(version),
            )
        elif link.url.identity in specs.STANDALONE_SPECS:
            _register(
                parser,
                links,
                link,
                specs.STANDALONE_SPECS[link.url.identity],
                specs.STANDALONE_TYPES.get(link.url.identity, []),
            )
    return links, parser.errors


@dataclass(frozen=True, slots=True)
class SchemaLink:
    """One ``@link`` application of a composed schema, read leniently."""

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
        return _name_in_schema(self.imports, self.name, self.namespace, f"@{directive}")


def _lenient_imports(value: ConstValueNode | None) -> dict[str, str]:
    imports: dict[str, str] = {}
    items = value.values if isinstance(value, ListValueNode) else ((value,) if value else ())
    for item in items:
        if isinstance(item, StringValueNode):
            imports[item.value] = item.value
        elif isinstance(item, ObjectValueNode):
            fields = {entry.name.value: _string(entry.value) for entry in item.fields}
            name = fields.get("name")
            if name is not None:
                imports[name] = fields.get("as") or name
    return imports


def _schema_link(directive: ConstDirectiveNode) -> SchemaLink | None:
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
        imports=_lenient_imports(_argument(directive, "import")),
    )


@dataclass(frozen=True, slots=True)
class SchemaLinks:
    """Every ``@link`` of a schema document, by spec identity (the first link of a spec wins)."""

    by_identity: Mapping[str, SchemaLink]

    @classmethod
    def of(cls, document: DocumentNode) -> SchemaLinks:
        """The links applied on ``document``'s schema definition and extensions."""
        links: dict[str, SchemaLink] = {}
        for definition in document.definitions:
            if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
                for directive in definition.directives or ():
                    link = _schema_link(directive)
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
